"""Send the consented digest for a period: ``manage.py send_digest [--period 2026-W49|2026-12]``.

Safe to run again: a second run for the same period sends nothing, and a run after a crash sends
only what was still waiting (see customer_voice.services.digest).
"""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from customer_voice.digest_sections import digest_sections
from customer_voice.models import DigestDelivery, DigestIssue
from customer_voice.services.digest import (
    PeriodError,
    last_complete_week,
    period_bounds,
    prepare_issue,
    recipients,
    send_issue,
)


class Command(BaseCommand):
    help = "Email the digest of a period to everyone who agreed to newsletters; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", help="An ISO week (2026-W49) or a month (2026-12). Default: the last complete ISO week."
        )
        parser.add_argument(
            "--retry-uncertain",
            action="store_true",
            help="Also send deliveries a crashed run left half-done (they may have gone out already).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say who would get what; send and write nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, period=None, retry_uncertain=False, dry_run=False, no_progress=False, **options):
        period = period or last_complete_week()
        try:
            if dry_run:
                return self.dry_run(period)
            issue = prepare_issue(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        waiting = DigestDelivery.objects.filter(issue=issue, state=DigestDelivery.State.PENDING).count()
        # The bar writes to the raw stream: Django's OutputWrapper would end each redraw with a newline.
        bar = tqdm(total=waiting, desc=f"Digest {period}", unit="email", disable=no_progress, file=self.stderr._out)
        result = send_issue(issue, retry_uncertain=retry_uncertain, progress=lambda _state: bar.update(1))
        bar.close()
        summary = (
            f"{period}: sent {result.sent}, skipped {result.skipped}, failed {result.failed}, "
            f"uncertain {result.uncertain}"
        )
        self.stdout.write(self.style.SUCCESS(summary) if not result.failed else self.style.WARNING(summary))
        if result.empty_languages:
            languages = ", ".join(sorted(result.empty_languages))
            self.stdout.write(f"Nothing new in {period} for readers of: {languages} (they were sent nothing).")
        if result.sent == 0 and result.empty_languages:
            self.stdout.write(f"Every section of {period} is empty: the issue sends nothing.")
        if result.uncertain:
            self.stdout.write(
                f"{result.uncertain} deliveries were interrupted while sending and may have gone out; "
                "run again with --retry-uncertain to send them (a duplicate carries the same Message-ID)."
            )

    def dry_run(self, period: str) -> None:
        starts_at, ends_at = period_bounds(period)
        existing = DigestIssue.objects.filter(period=period).first()
        if existing is not None:
            waiting = Counter(
                existing.deliveries.filter(state=DigestDelivery.State.PENDING).values_list(
                    "user__preferred_language", flat=True
                )
            )
        else:
            waiting = Counter(recipients().values_list("preferred_language", flat=True))
        self.stdout.write(f"{period}: {starts_at:%Y-%m-%d} to {ends_at:%Y-%m-%d} (dry run, nothing sent)")
        for language, count in sorted(waiting.items()):
            language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            with translation.override(language):
                sections = digest_sections(language, starts_at, ends_at)
            listed = ", ".join(f"{section['title']} ({len(section['items'])})" for section in sections)
            self.stdout.write(f"  {language}: {count} would get it; {listed or 'nothing new: nothing would be sent'}")
