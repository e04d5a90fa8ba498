"""The support reports in the Wagtail admin show the figures of support.metrics, export them safely,
and are open to support agents only."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import SearchEvent
from kb.models.search_analytics import normalize_query
from support.events import record_event
from support.metrics import DEFAULT_DAYS, MIN_RANKED_VOTES
from support.models import Event
from support.panels import SHOWN_ARTICLES
from tests.factories import UserFactory, make_article
from tests.support.admin_helpers import (
    ARTICLES,
    DEFLECTION,
    GAPS,
    REPORTS,
    SELF_SERVICE,
    XHR,
    a_ticket,
    an_agent,
    an_editor,
    ticket_url,
)

pytestmark = pytest.mark.django_db

#: The whole admin home page, the support panel included, whatever the number of rated articles
#: (32 measured: Wagtail's workflow panels look up each task type, the stories' customer approval too;
#: the admin menu's Customer voice items and the Support menu's open follow-up count add up to 3).
DASHBOARD_QUERIES = 37


@pytest.fixture
def agent_user():
    return an_agent()


@pytest.fixture
def agent(client, agent_user):
    client.force_login(agent_user)
    return client


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def article_row(response, article) -> dict:
    return next(row for row in response.context["object_list"] if row["article_id"] == article.pk)


def rate(article, *, yes=0, no=0):
    """``yes`` helpful and ``no`` unhelpful votes on ``article``, each from another visitor."""
    for n in range(yes + no):
        record_event(
            Event.Kind.VOTED, article=article, visitor_id=f"voter-{n}".ljust(32, "_"), data={"helpful": n < yes}
        )


def dashboard(client) -> str:
    """The support panel's HTML on the admin home page."""
    page = client.get("/admin/").content.decode()
    return page[page.index("data-support-panel") :]


def listed(panel, marker) -> list[str]:
    """The article titles of one of the panel's lists ("top" or "worst"), in order."""
    found = re.search(rf'<ol data-support-articles="{marker}">(.*?)</ol>', panel, re.DOTALL)
    return re.findall(r">([^<]+)</a>", found.group(1)) if found else []


def contact_visit(visit, *, solved_with=None, at=None):
    record_event(Event.Kind.SUGGESTIONS_SHOWN, flow="contact", visit_id=visit, visitor_id=visit.ljust(32, "_"), at=at)
    if solved_with is not None:
        record_event(
            Event.Kind.SOLVED_CONFIRMED, flow="contact", visit_id=visit, article=solved_with, visitor_id=visit, at=at
        )


def test_support_agents_open_every_report_from_the_support_menu(agent):
    menu = agent.get("/admin/").content.decode()

    for url in REPORTS:
        assert url in menu
        assert agent.get(url).status_code == 200


def test_staff_without_the_report_permission_are_refused(client):
    client.force_login(an_editor())

    assert DEFLECTION not in client.get("/admin/").content.decode()
    for url in REPORTS:
        assert client.get(url)["Location"] == "/admin/"
        assert client.get(url, **XHR).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    for url in REPORTS:
        assert client.get(url)["Location"].startswith("/admin/login/")


def test_a_member_without_admin_access_cannot_open_the_reports(client):
    client.force_login(UserFactory())

    for url in REPORTS:
        assert client.get(url).status_code == 302


def test_resolving_a_ticket_with_an_article_raises_its_resolutions_in_the_report(agent, help_centers):
    article = make_article("Clear a paper jam")
    ticket = a_ticket("Paper jam")
    record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id="r" * 32)
    before = article_row(agent.get(ARTICLES), article)["resolutions"]

    agent.post(ticket_url(ticket), {"action": "resolve", "article": article.pk})

    after = article_row(agent.get(ARTICLES), article)
    assert (before, after["resolutions"], after["tickets_resolved"]) == (0, 1, 1)


def test_the_deflection_report_counts_a_confirmation_from_the_contact_flow(agent, help_centers):
    article = make_article("Reset a password")
    contact_visit("visit-solved", solved_with=article)
    contact_visit("visit-left")
    a_ticket("Still locked out", visit_id="visit-ticket")
    contact_visit("visit-ticket")

    response = agent.get(DEFLECTION)

    summary = dict(response.context["summary"])
    assert summary["Contact visits shown suggestions"] == "3"
    assert summary["Contact visits without a ticket"] == "66.7%"
    assert summary["Contact visits that confirmed “solved”"] == "33.3%"
    [today] = [row for row in response.context["object_list"] if row["flow"] == "contact"]
    assert (today["visits"], today["deflected"], today["confirmed"], today["tickets"]) == (3, 2, 1, 1)
    assert '<title id="support-chart-title">' in response.content.decode()


def test_the_reports_follow_the_chosen_dates_and_bucket(agent):
    contact_visit("last-week", at=timezone.now() - timedelta(days=7))
    contact_visit("today")
    today = timezone.localdate()

    only_today = agent.get(DEFLECTION, {"created_at_from": today.isoformat(), "created_at_to": today.isoformat()})
    by_month = agent.get(DEFLECTION, {"bucket": "month", "created_at_from": (today - timedelta(days=7)).isoformat()})

    assert dict(only_today.context["summary"])["Contact visits shown suggestions"] == "1"
    months = {row["start"] for row in by_month.context["object_list"]}
    assert months <= {today.replace(day=1), (today - timedelta(days=7)).replace(day=1)}


def test_the_self_service_report_divides_visitors_by_ticket_visitors(agent, help_centers):
    article = make_article()
    for reader in "abcd":
        record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id=reader * 32)
    a_ticket(visitor_id="a" * 32)

    summary = dict(agent.get(SELF_SERVICE).context["summary"])

    assert (summary["Help-center visitors"], summary["Visitors who opened a ticket"]) == ("4", "1")
    assert summary["Self-service score"] == "4"


@pytest.mark.parametrize(
    "params",
    [
        {"created_at_from": "not a date"},
        {"created_at_from": "2026-02-30"},
        {"created_at_from": "2030-01-01", "created_at_to": "2020-01-01"},
        {"created_at_from": "0001-01-01", "created_at_to": "9999-12-31"},
        {"bucket": "fortnight"},
        {"ordering": "title; drop table"},
        {"p": "999"},
        {"created_at_from": "\x00"},
    ],
)
@pytest.mark.parametrize("url", REPORTS)
def test_bad_filter_input_never_breaks_a_report(agent, url, params):
    response = agent.get(url, params)

    assert response.status_code in (200, 404)


def test_exports_are_spreadsheet_safe(agent, help_centers):
    query = '=HYPERLINK("http://evil.example")'
    SearchEvent.objects.create(
        query=query, normalized_query=normalize_query(query), language="en", result_count=0, visitor_id="e" * 32
    )
    article = make_article("=1+2 is not a formula")
    record_event(Event.Kind.ARTICLE_VIEWED, article=article, visitor_id="r" * 32)

    gaps = csv_rows(agent.get(GAPS, {"export": "csv"}))
    articles = csv_rows(agent.get(ARTICLES, {"export": "csv"}))
    spreadsheets = [agent.get(url, {"export": "xlsx"}) for url in REPORTS]

    assert gaps[1][1] == "'" + normalize_query(query)
    assert articles[1][1] == "'=1+2 is not a formula"
    for xlsx in spreadsheets:
        assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_the_dashboard_shows_this_weeks_deflection_and_the_most_and_least_helpful_articles(agent, help_centers):
    good, poor = make_article("Good article"), make_article("Poor article")
    rate(good, yes=5)
    rate(poor, yes=1, no=4)
    contact_visit("this-week")

    panel = dashboard(agent)

    assert "100% of 1 contact visits" in panel
    assert listed(panel, "top") == ["Good article"]
    assert listed(panel, "worst") == ["Poor article"]


def test_an_article_is_never_listed_as_both_most_and_least_helpful(agent, help_centers):
    for title, yes in [("All yes", 6), ("Half yes", 3), ("All no", 0)]:
        rate(make_article(title), yes=yes, no=6 - yes)

    panel = dashboard(agent)

    # Three qualifying articles: the better half (rounded up) is most helpful, the rest least.
    assert listed(panel, "top") == ["All yes", "Half yes"]
    assert listed(panel, "worst") == ["All no"]
    assert (
        f"Only 3 articles have {MIN_RANKED_VOTES} or more votes in the last {DEFAULT_DAYS} days: "
        "too few to fill both lists, and none is listed twice." in panel
    )


def test_an_article_with_fewer_votes_than_the_minimum_is_in_neither_list(agent, help_centers):
    rate(make_article("Well liked"), yes=MIN_RANKED_VOTES)
    rate(make_article("Disliked"), no=MIN_RANKED_VOTES)
    rate(make_article("One vote"), no=1)
    rate(make_article("Almost enough"), no=MIN_RANKED_VOTES - 1)

    panel = dashboard(agent)

    assert (listed(panel, "top"), listed(panel, "worst")) == (["Well liked"], ["Disliked"])
    assert "One vote" not in panel and "0 of 1 votes helpful" not in panel
    assert "Almost enough" not in panel


def test_the_dashboard_says_so_when_no_article_has_enough_votes_to_rank(agent, help_centers):
    rate(make_article("One vote"), no=1)

    panel = dashboard(agent)

    assert "data-support-articles" not in panel and "One vote" not in panel
    assert (
        f"No article has {MIN_RANKED_VOTES} or more votes in the last {DEFAULT_DAYS} days yet, "
        "so none is ranked as most or least helpful." in panel
    )


@pytest.mark.parametrize("rated", [2, 14])
def test_the_dashboard_runs_the_same_queries_for_few_or_many_rated_articles(
    agent, help_centers, django_assert_max_num_queries, rated
):
    # Every other article is helpful to all six voters, the rest to five; one more has a single "no".
    liked = {f"Liked {n}" for n in range(0, rated, 2)}
    for n in range(rated):
        if n % 2:
            rate(make_article(f"Mostly liked {n}"), yes=5, no=1)
        else:
            rate(make_article(f"Liked {n}"), yes=6)
    rate(make_article("Barely voted"), no=1)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        panel = dashboard(agent)

    top, worst = listed(panel, "top"), listed(panel, "worst")
    assert len(top) == min(SHOWN_ARTICLES, (rated + 1) // 2) and len(worst) == min(SHOWN_ARTICLES, rated - len(top))
    assert set(top) <= liked and not set(worst) & liked
    assert "Barely voted" not in panel


def test_staff_without_the_permission_see_no_support_panel(client):
    client.force_login(an_editor())

    assert "data-support-panel" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize("url", [DEFLECTION, SELF_SERVICE, ARTICLES])
def test_a_report_runs_the_same_few_queries_however_many_events(agent, django_assert_max_num_queries, url, size):
    Event.objects.bulk_create(
        Event(
            kind=kind,
            visitor_id=f"{n % 7}" * 32,
            visit_id=f"visit-{n}",
            flow="contact",
            article_id=1,
            data={"helpful": bool(n % 2)},
        )
        for n in range(size)
        for kind in (Event.Kind.SUGGESTIONS_SHOWN, Event.Kind.ARTICLE_VIEWED, Event.Kind.VOTED)
    )

    with django_assert_max_num_queries(20):
        assert agent.get(url).status_code == 200


def test_content_gaps_lists_a_ticket_whose_subject_finds_no_article(agent, help_centers):
    ticket = a_ticket("Quantum flux capacitor")

    response = agent.get(GAPS)

    rows = [row for row in response.context["object_list"] if row["kind"] == "no_article"]
    assert [row["reference"] for row in rows] == [ticket.reference]
    assert ticket_url(ticket) in response.content.decode()


def test_the_dashboard_says_so_when_no_contact_visit_was_shown_suggestions_this_week(agent):
    page = agent.get("/admin/").content.decode()

    assert "No contact visit has been shown suggestions this week yet." in page
