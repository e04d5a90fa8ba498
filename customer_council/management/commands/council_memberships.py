"""Run the council's daily membership chores: expire ended terms, send renewal reminders.

Both are idempotent: a term is expired once, and a reminder goes out once per term (renewing
resets it), so the command can run as often as a scheduler likes (say, hourly).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from customer_council.services.membership import expire_ended_terms, send_renewal_reminders


class Command(BaseCommand):
    help = "Expire council memberships whose term has ended (--expire) and send renewal reminders (--remind)."

    def add_arguments(self, parser):
        parser.add_argument("--expire", action="store_true", help="Expire memberships whose term ended before today.")
        parser.add_argument("--remind", action="store_true", help="Remind members and managers of terms ending soon.")
        parser.add_argument("--today", help="Act as if today were this day (YYYY-MM-DD), for reminders.")

    def handle(self, *args, expire=False, remind=False, today=None, **options):
        if not expire and not remind:
            raise CommandError("Say what to do: --expire, --remind, or both.")
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today must be a date like 2026-01-31, not {today!r}.") from error
        if expire:
            expired = expire_ended_terms()
            for membership in expired:
                self.stdout.write(
                    f"expired: {membership.email} ({membership.cohort}), term ended {membership.term_end}"
                )
            self.stdout.write(f"{len(expired)} membership(s) expired.")
        if remind:
            reminded = send_renewal_reminders(day)
            for membership in reminded:
                self.stdout.write(
                    f"reminded: {membership.email} ({membership.cohort}), term ends {membership.term_end}"
                )
            self.stdout.write(f"{len(reminded)} renewal reminder(s) sent.")
