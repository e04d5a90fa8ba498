"""Print the support figures for a date range, for scripts: the same functions as the admin reports.

    manage.py support_report --since 2026-03-01 [--until 2026-03-31] [--bucket week] [--format json|text]

``--since`` and ``--until`` are whole days in the site's time zone, both included (``--until``
defaults to today). JSON output is one object: period, deflection (contact and forum), self_service,
response_times (first response and resolution: count, median and 90th percentile in seconds),
articles (best ranking first) and gaps.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sitewide.commands import parse_day
from support import metrics
from support.models import Event

FORMATS = ("json", "text")


def rate(value):
    return None if value is None else round(value, 4)


def report(period: metrics.Period, bucket: str) -> dict:
    """Every figure of the period as plain JSON-ready data."""
    deflection = {}
    for flow in (Event.Flow.CONTACT, Event.Flow.FORUM):
        result = metrics.deflection(period, flow=flow, bucket=bucket)
        deflection[str(flow)] = {
            **_deflection_row(result.total),
            "buckets": [{"start": row.start.isoformat(), **_deflection_row(row)} for row in result.buckets],
        }
    self_service = metrics.self_service(period, bucket=bucket)
    times = metrics.response_times(period)
    gaps = metrics.subjects_without_article(period)
    return {
        "period": {
            "since": timezone.localtime(period.since).date().isoformat(),
            "until": (timezone.localtime(period.until).date() - datetime.timedelta(days=1)).isoformat(),
            "bucket": bucket,
        },
        "deflection": deflection,
        "self_service": {
            **_self_service_row(self_service.total),
            "buckets": [{"start": row.start.isoformat(), **_self_service_row(row)} for row in self_service.buckets],
        },
        "response_times": {
            "first_response": _durations(times.first_response),
            "resolution": _durations(times.resolution),
        },
        "articles": [_article_row(row) for row in metrics.rank(metrics.article_figures(period).values())],
        "gaps": {
            "queries_without_results": [_query_row(row) for row in metrics.queries_without_results(period)],
            "dead_end_queries": [_query_row(row) for row in metrics.dead_end_queries(period)],
            "ticket_subjects_without_article": [
                {"reference": ticket.reference, "subject": ticket.subject, "language": ticket.language}
                for ticket in gaps.tickets
            ],
            "tickets_searched": gaps.searched,
            "search_unavailable": gaps.unavailable,
        },
    }


def _deflection_row(row):
    return {
        "visits": row.visits,
        "deflected": row.deflected,
        "deflection_rate": rate(row.implicit_rate),
        "confirmed": row.confirmed,
        "confirmed_rate": rate(row.explicit_rate),
        "tickets": row.tickets,
    }


def _self_service_row(row):
    return {
        "help_center_visitors": row.help_center_visitors,
        "ticket_visitors": row.ticket_visitors,
        "score": rate(row.score),
    }


def _seconds(duration):
    return None if duration is None else round(duration.total_seconds())


def _durations(durations):
    return {
        "tickets": durations.count,
        "median_seconds": _seconds(durations.median),
        "p90_seconds": _seconds(durations.p90),
    }


def _article_row(row):
    return {
        "article_id": row.article_id,
        "title": row.title,
        "views": row.views,
        "yes": row.yes,
        "no": row.no,
        "helpfulness": rate(row.helpfulness),
        "score": rate(row.score),
        "resolutions": row.resolutions,
        "solved_confirmed": row.solved_confirmed,
        "tickets_resolved": row.tickets_resolved,
        "forum_answers": row.forum_answers,
        "tickets_after_reading": row.tickets_after_reading,
    }


def _query_row(row):
    return {"query": row["query"], "searches": row["searches"], "visitors": row["visitors"]}


def _percent(value):
    return "–" if value is None else f"{round(value * 100, 1):g}%"


class Command(BaseCommand):
    help = (
        "Print the support figures (deflection, self-service, response times, articles, content gaps) for a date range."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD (included).")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (included; default today).")
        parser.add_argument("--bucket", choices=sorted(metrics.BUCKETS), default="week", help="Trend period.")
        parser.add_argument("--format", choices=FORMATS, default="text", dest="output_format")

    def handle(self, *args, since, until, bucket, output_format, **options):
        first = parse_day(since, "--since")
        last = parse_day(until, "--until") if until else timezone.localdate()
        if last < first:
            raise CommandError(_("--until must not be before --since."))
        if last >= datetime.date.max:
            raise CommandError(_("--until must be before 9999-12-31."))
        data = report(metrics.Period.of_days(first, last), bucket)
        if output_format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.write_text(data)

    def write_text(self, data):
        out = self.stdout.write
        out(_("Support figures from %(since)s to %(until)s") % data["period"])
        for flow, figures in data["deflection"].items():
            out(
                _(
                    "Deflection (%(flow)s): %(visits)s visits shown suggestions, %(deflected)s deflected (%(rate)s), "
                    "%(confirmed)s confirmed solved (%(confirmed_rate)s)"
                )
                % {
                    **figures,
                    "flow": flow,
                    "rate": _percent(figures["deflection_rate"]),
                    "confirmed_rate": _percent(figures["confirmed_rate"]),
                }
            )
        service = data["self_service"]
        out(
            _(
                "Self-service score: %(score)s (%(help_center_visitors)s help-center visitors, "
                "%(ticket_visitors)s opened a ticket)"
            )
            % {**service, "score": _number(service["score"], "g")}
        )
        for row in service["buckets"]:
            out(f"  {row['start']}: {row['help_center_visitors']} / {row['ticket_visitors']}")
        for key, label in [("first_response", _("First response")), ("resolution", _("Resolution time"))]:
            times = data["response_times"][key]
            out(
                _("%(label)s: median %(median)s, 90th percentile %(p90)s (%(tickets)s tickets)")
                % {
                    "label": label,
                    "median": _duration(times["median_seconds"]),
                    "p90": _duration(times["p90_seconds"]),
                    "tickets": times["tickets"],
                }
            )
        out(_("Articles (best ranking first): views, yes/no, score, resolutions, tickets after reading"))
        for row in data["articles"]:
            out(
                "  "
                + _(
                    "%(article_id)s %(title)s: %(views)s views, %(yes)s/%(no)s, score %(score)s, "
                    "%(resolutions)s resolutions, %(tickets_after_reading)s tickets"
                )
                % {**row, "score": _number(row["score"], ".3f")}
            )
        gaps = data["gaps"]
        for key, label in [("queries_without_results", _("No results")), ("dead_end_queries", _("Dead-end queries"))]:
            out(f"{label}: " + ", ".join(f"{row['query']} ({row['searches']})" for row in gaps[key]))
        subjects = gaps["ticket_subjects_without_article"]
        out(
            _("Ticket subjects with no matching article (%(gaps)s of %(searched)s): ")
            % {"gaps": len(subjects), "searched": gaps["tickets_searched"]}
            + ", ".join(f"{ticket['reference']} {ticket['subject']}" for ticket in subjects)
        )


def _number(value, spec) -> str:
    return "–" if value is None else format(value, spec)


def _duration(seconds) -> str:
    return metrics.format_duration(None if seconds is None else datetime.timedelta(seconds=seconds))
