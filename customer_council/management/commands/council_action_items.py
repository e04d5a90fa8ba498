"""Remind the owners of overdue council action items (--remind).

Idempotent within a day: an owner is reminded of an item at most once a day, and only while they
may still enter the council (or manage it), so the command can run as often as a scheduler likes.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from customer_council.services.meetings import remind_overdue


class Command(BaseCommand):
    help = "Email the owners of open council action items past their due date (--remind)."

    def add_arguments(self, parser):
        parser.add_argument("--remind", action="store_true", help="Remind owners of overdue action items.")
        parser.add_argument("--now", help="Act as if it were this moment (ISO 8601, UTC if no offset), for testing.")

    def handle(self, *args, remind=False, now=None, **options):
        if not remind:
            raise CommandError("Say what to do: --remind.")
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now must be a moment like 2026-01-31T09:00, not {now!r}.") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, timezone.get_fixed_timezone(0))
        reminded = remind_overdue(moment)
        for item in reminded:
            self.stdout.write(
                f"reminded: {item.owner.email} of “{item.title}” (meeting {item.meeting_id}), due {item.due_on}"
            )
        self.stdout.write(f"{len(reminded)} overdue reminder(s) sent.")
