"""``manage.py stories_consent --expire``: take down every story whose customer's consent has
ended (run daily: cron in production, by hand or cron on ``make run``)."""

from django.core.management.base import BaseCommand, CommandError

from stories.services import consent


class Command(BaseCommand):
    help = "Unpublish stories whose consent has expired, record the expiry and tell the staff."

    def add_arguments(self, parser):
        parser.add_argument("--expire", action="store_true", help="Unpublish stories whose consent has expired.")

    def handle(self, *args, expire=False, **options):
        if not expire:
            raise CommandError("Say what to do: --expire.")
        ended = consent.expire_consents()
        self.stdout.write(f"{len(ended)} consent(s) expired; their stories are unpublished.")
