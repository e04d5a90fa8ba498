"""Send the NPS survey to an audience: ``manage.py send_nps_survey --audience everyone``.

Creates a SurveyRun and emails every member of the audience who is due (agreed to feedback
surveys, not asked within VOICE_NPS_INTERVAL_DAYS, not staff). ``--dry-run`` only counts.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from customer_voice.models import SurveyRun
from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.services.surveys import plan_nps_run, send_nps_run


class Command(BaseCommand):
    help = "Send the NPS survey to the customers of an audience who are due."

    def add_arguments(self, parser):
        parser.add_argument("--audience", choices=Audience.values, default=Audience.EVERYONE)
        parser.add_argument("--name", default="", help="The run's name (default: audience and date).")
        parser.add_argument("--dry-run", action="store_true", help="Count who would be asked; send nothing.")

    def handle(self, *args, audience, name, dry_run, **options):
        name = name.strip()[:120] or f"NPS {Audience(audience).label} {timezone.localdate():%Y-%m-%d}"
        if "\x00" in name:
            raise CommandError("The name cannot contain NUL characters.")
        if dry_run:
            outcome = plan_nps_run(audience)
            self.stdout.write(
                f"Would send: {len(outcome.to_send)}; skipped (asked lately): {outcome.skipped_throttle}; "
                f"skipped (no consent): {outcome.skipped_consent}."
            )
            return
        run = SurveyRun.objects.filter(name=name, kind=SurveyKind.NPS, audience=audience).first()
        if run is None:
            run = SurveyRun.objects.create(kind=SurveyKind.NPS, audience=audience, name=name)

        def progress(items):
            return tqdm(items, desc="Sending", unit="email", file=self.stderr._out, disable=not items)

        outcome = send_nps_run(run, progress=progress)
        self.stdout.write(
            f"Run {run.name!r}: sent {outcome.sent}; skipped (asked lately): {outcome.skipped_throttle}; "
            f"skipped (no consent): {outcome.skipped_consent}; already sent by this run: {outcome.already_sent}; "
            f"failed: {outcome.failed}."
        )
