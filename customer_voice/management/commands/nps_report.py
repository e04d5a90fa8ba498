"""Print the NPS (or CSAT) figures of a period: the same numbers as the admin report.

    manage.py nps_report --since 2026-01-01 [--until 2026-12-31] [--format json|text] [--kind nps|csat]
                         [--audience everyone|council]

``--since`` and ``--until`` are whole days in the site's time zone, both included (``--until``
defaults to today). For the whole period, each month and each segment (council, language, referral
source, plan): the score, the sample size, promoters, passives, detractors and the 95 % margin of
error; a group with fewer than VOICE_MIN_ANSWERS answers has no score ("too few answers").
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.nps import CsatFigures
from customer_voice.services.nps_report import PeriodError, nps_report, report_as_dict
from sitewide.commands import parse_day

FORMATS = ("json", "text")


def describe(figures) -> str:
    """One line of text: "NPS 30 ± 15.3 (n=100; 50 promoters, 30 passives, 20 detractors)"."""
    if not figures.enough:
        return _("too few answers (n=%(n)s)") % {"n": figures.n}
    if isinstance(figures, CsatFigures):
        return _("%(score).1f%% good ± %(moe).1f (n=%(n)s; %(good)s good, %(bad)s bad)") % {
            "score": figures.score,
            "moe": figures.margin_of_error,
            "n": figures.n,
            "good": figures.good,
            "bad": figures.bad,
        }
    return _(
        "NPS %(score).1f ± %(moe).1f (n=%(n)s; %(promoters)s promoters, %(passives)s passives, "
        "%(detractors)s detractors)"
    ) % {
        "score": figures.score,
        "moe": figures.margin_of_error,
        "n": figures.n,
        "promoters": figures.promoters,
        "passives": figures.passives,
        "detractors": figures.detractors,
    }


class Command(BaseCommand):
    help = "Print the Net Promoter Score (or CSAT) of a period, overall, per month and per segment."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD (included).")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (included); default today.")
        parser.add_argument("--format", default="text", help="json or text (default text).")
        parser.add_argument("--kind", default=SurveyKind.NPS.value, help="nps or csat (default nps).")
        parser.add_argument("--audience", default=Audience.EVERYONE.value, help="everyone or council.")

    def handle(self, *args, **options):
        since = parse_day(options["since"], "--since")
        until = parse_day(options["until"], "--until") if options["until"] else timezone.localdate()
        if options["format"] not in FORMATS:
            raise CommandError(_("--format must be json or text."))
        if options["kind"] not in SurveyKind.values:
            raise CommandError(_("--kind must be nps or csat."))
        if options["audience"] not in Audience.values:
            raise CommandError(_("--audience must be everyone or council."))
        try:
            report = nps_report(since, until, kind=options["kind"], audience=options["audience"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
            return
        self.write_text(report)

    def write_text(self, report):
        out = self.stdout.write
        out(
            _("%(kind)s from %(since)s to %(until)s (a score needs at least %(min)s answers)")
            % {
                "kind": SurveyKind(report.kind).label,
                "since": report.since.isoformat(),
                "until": report.until.isoformat(),
                "min": report.min_answers,
            }
        )
        out(_("Overall: %(figures)s") % {"figures": describe(report.overall)})
        if report.loop.total:
            out(
                _("Loop closed: %(closed)s of %(total)s follow-ups (%(rate).1f%%), %(open)s open")
                % {
                    "closed": report.loop.closed,
                    "total": report.loop.total,
                    "rate": 100 * report.loop.rate,
                    "open": report.loop.open,
                }
            )
        if report.kind == SurveyKind.NPS:
            out(_("CSAT: %(figures)s") % {"figures": describe(report.csat)})
        out("")
        out(_("By month"))
        for month in report.months:
            out(f"  {month.start:%Y-%m}  {describe(month.figures)}")
        for found in report.segments.values():
            if not found:
                continue
            out("")
            out(found[0].dimension_label)
            for segment in found:
                out(f"  {segment.label}: {describe(segment.figures)}")
