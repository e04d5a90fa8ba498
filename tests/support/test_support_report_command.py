"""manage.py support_report prints the figures of the admin reports, for scripts."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from support.events import record_event
from support.models import Event
from tests.factories import make_article
from tests.support.admin_helpers import a_ticket, an_agent, ticket_url

pytestmark = pytest.mark.django_db


def support_report(*args) -> str:
    out = StringIO()
    call_command("support_report", *args, stdout=out)
    return out.getvalue()


def figures(since=None) -> dict:
    return json.loads(support_report("--since", since or timezone.localdate().isoformat(), "--format", "json"))


def test_resolving_a_ticket_in_the_inbox_raises_the_articles_resolutions_in_the_output(client, help_centers):
    article = make_article("Clear a paper jam")
    record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id="r" * 32)
    ticket = a_ticket("Paper jam")
    client.force_login(an_agent())
    before = {row["article_id"]: row["resolutions"] for row in figures()["articles"]}

    client.post(ticket_url(ticket), {"action": "resolve", "article": article.pk})

    after = {row["article_id"]: row for row in figures()["articles"]}
    assert (before[article.pk], after[article.pk]["resolutions"], after[article.pk]["tickets_resolved"]) == (0, 1, 1)
    assert "Clear a paper jam: 1 views, 0/0, score –, 1 resolutions" in support_report(
        "--since", timezone.localdate().isoformat()
    )


def test_the_json_output_has_every_figure_group(help_centers):
    article = make_article()
    record_event(Event.Kind.SUGGESTIONS_SHOWN, flow="contact", visit_id="v1", visitor_id="a" * 32)
    record_event(Event.Kind.SOLVED_CONFIRMED, flow="contact", visit_id="v1", article=article, visitor_id="a" * 32)
    record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id="a" * 32)

    data = figures()

    assert data["period"]["since"] == data["period"]["until"] == timezone.localdate().isoformat()
    assert data["deflection"]["contact"]["visits"] == 1
    assert data["deflection"]["contact"]["confirmed_rate"] == 1.0
    assert data["self_service"]["help_center_visitors"] == 1 and data["self_service"]["score"] is None
    assert data["articles"][0]["solved_confirmed"] == 1
    assert set(data["gaps"]) >= {"queries_without_results", "dead_end_queries", "ticket_subjects_without_article"}


def test_the_text_output_names_the_period_and_each_flow(db):
    output = support_report("--since", "2026-01-01", "--until", "2026-01-31")

    assert output.startswith("Support figures from 2026-01-01 to 2026-01-31")
    assert "Deflection (contact): 0 visits" in output and "Deflection (forum): 0 visits" in output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2026-02-30"], "--since must be a date written YYYY-MM-DD, not '2026-02-30'."),
        (["--since", "yesterday"], "--since must be a date written YYYY-MM-DD, not 'yesterday'."),
        (["--since", "2026-03-01", "--until", "03/31/2026"], "--until must be a date written YYYY-MM-DD"),
        (["--since", "2026-03-01", "--until", "2026-02-01"], "--until must not be before --since."),
        (["--since", "2026-03-01", "--until", "9999-12-31"], "--until must be before 9999-12-31."),
    ],
)
def test_a_bad_date_is_a_clear_error(db, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        support_report(*args)


def test_since_is_required(db):
    with pytest.raises(CommandError, match="--since"):
        support_report()
