"""Every support figure equals the value worked out by hand for one small, fixed fortnight.

The fortnight is Monday 2 March to Sunday 15 March 2026 (two weeks: 2–8 and 9–15 March). The
fixture writes each event explicitly with its time; the comments beside each assertion show the
arithmetic. A few events just outside the fortnight check its edges.
"""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from kb.models import SearchEvent
from kb.models.search_analytics import normalize_query
from support import metrics
from support.events import record_event
from support.models import Event
from support.tickets import open_ticket
from tests.factories import UserFactory
from tests.search_helpers import publish_article

pytestmark = pytest.mark.django_db

FORTNIGHT = metrics.Period.of_days(date(2026, 3, 2), date(2026, 3, 15))
SHOWN, OPENED, SOLVED = Event.Kind.SUGGESTIONS_SHOWN, Event.Kind.SUGGESTION_OPENED, Event.Kind.SOLVED_CONFIRMED
VIEWED, VOTED = Event.Kind.ARTICLE_VIEWED, Event.Kind.VOTED
CONTACT, FORUM = Event.Flow.CONTACT, Event.Flow.FORUM


def at(day, hour=12, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def visitor(name):
    return name.ljust(32, "_")


def searched(query, who, when, *, results, clicks=0):
    return SearchEvent.objects.create(
        query=query,
        normalized_query=normalize_query(query),
        language="en",
        result_count=results,
        click_count=clicks,
        visitor_id=visitor(who),
        created_at=when,
    )


def voted(article, who, when, *, helpful, user=None):
    record_event(VOTED, visitor_id=visitor(who), user=user, article=article, data={"helpful": helpful}, at=when)


def ticket(subject, who, when, *, visit=""):
    return open_ticket(
        subject=subject,
        description=f"{subject}.",
        email="customer@example.com",
        language="en",
        visitor_id=visitor(who) if who else "",
        visit_id=visit,
        notify=False,
        at=when,
    ).ticket


@pytest.fixture
def fortnight(help_centers, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    a = publish_article(capture, "Battery life tips", body="Make the battery last longer.")
    b = publish_article(capture, "Adjust screen brightness", body="Brighten a dim screen.")
    c = publish_article(capture, "Connect to a wireless network", body="Join a wifi network.")

    # Contact visits. v1: shown, opened A, confirmed solved. v2: shown, then a ticket.
    # v3: shown, left. v5: shown twice, then a ticket. v4: shown the day before the fortnight.
    record_event(SHOWN, flow=CONTACT, visit_id="v1", visitor_id=visitor("r1"), at=at(2, 10))
    record_event(OPENED, flow=CONTACT, visit_id="v1", visitor_id=visitor("r1"), article=a, at=at(2, 10, 1))
    record_event(SOLVED, flow=CONTACT, visit_id="v1", visitor_id=visitor("r1"), article=a, at=at(2, 10, 3))
    record_event(SHOWN, flow=CONTACT, visit_id="v2", visitor_id=visitor("x2"), at=at(3, 10))
    t2 = ticket("Battery drains fast", "x2", at(3, 10, 5), visit="v2")
    record_event(SHOWN, flow=CONTACT, visit_id="v3", visitor_id=visitor("r3"), at=at(9, 9))
    record_event(SHOWN, flow=CONTACT, visit_id="v5", visitor_id=visitor("x5"), at=at(10, 12))
    record_event(SHOWN, flow=CONTACT, visit_id="v5", visitor_id=visitor("x5"), at=at(10, 12, 2))
    t5 = ticket("Screen too dark", "x5", at(10, 12, 10), visit="v5")
    record_event(SHOWN, flow=CONTACT, visit_id="v4", visitor_id=visitor("r4"), at=at(1, 23))
    anonymous = ticket("Quantum teleporter flux", "", at(11, 8))

    # Forum ask visits: f1 and f3 opened a suggestion, f2 did not.
    record_event(SHOWN, flow=FORUM, visit_id="f1", at=at(4))
    record_event(OPENED, flow=FORUM, visit_id="f1", article=c, at=at(4, 12, 1))
    record_event(SHOWN, flow=FORUM, visit_id="f2", at=at(5))
    record_event(SHOWN, flow=FORUM, visit_id="f3", at=at(6))
    record_event(OPENED, flow=FORUM, visit_id="f3", at=at(6, 12, 1))

    # Reading. x2 read A 35 minutes and B 3 h 5 min before their ticket; x5 read B 70 minutes before.
    record_event(VIEWED, visitor_id=visitor("r1"), article=a, at=at(2, 9))
    record_event(VIEWED, visitor_id=visitor("r2"), article=a, at=at(3, 8))
    record_event(VIEWED, visitor_id=visitor("x2"), article=a, at=at(3, 9, 30))
    record_event(VIEWED, visitor_id=visitor("x2"), article=b, at=at(3, 7))
    record_event(VIEWED, visitor_id=visitor("r1"), article=a, at=at(9, 9))
    record_event(VIEWED, visitor_id=visitor("x5"), article=b, at=at(10, 11))
    record_event(VIEWED, visitor_id=visitor("r9"), article=a, at=at(1, 9))  # before the fortnight

    # Searches. s1/s2/s3 found nothing; x2's "battery drains" found results, no click, then a ticket.
    searched("wifi", "r2", at(3, 9), results=3)
    searched("vpn setup", "s1", at(4), results=0)
    searched("battery drains", "x2", at(3, 9, 50), results=2)
    searched("VPN  setup", "s2", at(10), results=0)
    searched("printer", "s3", at(11), results=0)
    searched("screen dim", "x5", at(10, 10, 30), results=4)  # then read B: not a dead end
    searched("brightness", "x5", at(10, 11, 30), results=2, clicks=1)  # clicked: not a dead end

    # Votes. A: r1 yes; r2 no, then yes; a logged-in user yes, then no from another browser.
    user = UserFactory()
    voted(a, "r1", at(2, 9, 5), helpful=True)
    voted(a, "r2", at(3, 8, 5), helpful=False)
    voted(a, "r2", at(4, 8), helpful=True)
    voted(a, "u1", at(5), helpful=True, user=user)
    voted(a, "u1-other", at(6), helpful=False, user=user)
    # B: one yes. C: eleven yes and one no.
    voted(b, "s1", at(4, 13), helpful=True)
    for n in range(12):
        voted(c, f"c{n}", at(7, 8, n), helpful=n != 0)
    voted(c, "late", at(16, 1), helpful=False)  # after the fortnight

    # Resolutions. Ticket 2 resolved with B, then with A (only A counts).
    record_event(Event.Kind.TICKET_RESOLVED, ticket=t2, article=b, at=at(4))
    record_event(Event.Kind.TICKET_RESOLVED, ticket=t2, article=a, at=at(5))
    # Topic 7: post 70 links A and C, then post 71 (linking C) is accepted instead.
    # Topic 8: post 80 links C, accepted twice.
    accepted = Event.Kind.FORUM_ANSWER_ACCEPTED
    record_event(accepted, flow=FORUM, article=a, data={"topic": 7, "post": 70}, at=at(6))
    record_event(accepted, flow=FORUM, article=c, data={"topic": 7, "post": 70}, at=at(6))
    record_event(accepted, flow=FORUM, article=c, data={"topic": 7, "post": 71}, at=at(7))
    record_event(accepted, flow=FORUM, article=c, data={"topic": 8, "post": 80}, at=at(8))
    record_event(accepted, flow=FORUM, article=c, data={"topic": 8, "post": 80}, at=at(9))
    return SimpleNamespace(a=a, b=b, c=c, t2=t2, t5=t5, anonymous=anonymous)


def test_contact_deflection_counts_visits_shown_suggestions_without_a_ticket_and_with_a_confirmation(fortnight):
    result = metrics.deflection(FORTNIGHT, flow=CONTACT, bucket="week")

    # Visits v1, v2, v3, v5 (v4 was shown suggestions before the fortnight; v5 twice is one visit).
    assert result.total.visits == 4
    # No ticket: v1 and v3 → 2 of 4 = 50 %. Confirmed: v1 → 1 of 4 = 25 %.
    assert (result.total.deflected, result.total.confirmed, result.total.tickets) == (2, 1, 2)
    assert (result.total.implicit_rate, result.total.explicit_rate) == (0.5, 0.25)
    # Week of 2 March: v1 (deflected), v2 (ticket). Week of 9 March: v3 (deflected), v5 (ticket).
    assert [(row.start, row.visits, row.deflected, row.confirmed) for row in result.buckets] == [
        (date(2026, 3, 2), 2, 1, 1),
        (date(2026, 3, 9), 2, 1, 0),
    ]


def test_forum_deflection_counts_ask_visits_that_opened_a_suggestion(fortnight):
    result = metrics.deflection(FORTNIGHT, flow=FORUM)

    # f1 and f3 opened a suggestion, f2 did not: 2 of 3.
    assert (result.total.visits, result.total.deflected, result.total.confirmed) == (3, 2, 0)
    assert result.total.implicit_rate == pytest.approx(2 / 3)


def test_self_service_divides_help_center_visitors_by_visitors_who_wrote_in(fortnight):
    result = metrics.self_service(FORTNIGHT, bucket="week")

    # Week 1 readers r1, r2, x2 and searchers r2, s1, x2 → {r1, r2, x2, s1} = 4; tickets: x2 → 1.
    # Week 2 readers r1, x5 and searchers s2, s3, x5 → {r1, x5, s2, s3} = 4; tickets: x5 and the
    # anonymous ticket → 2.
    assert [(row.start, row.help_center_visitors, row.ticket_visitors, row.score) for row in result.buckets] == [
        (date(2026, 3, 2), 4, 1, 4.0),
        (date(2026, 3, 9), 4, 2, 2.0),
    ]
    # The fortnight: {r1, r2, x2, s1, x5, s2, s3} = 7 visitors for 3 ticket visitors.
    assert (result.total.help_center_visitors, result.total.ticket_visitors) == (7, 3)
    assert result.total.score == pytest.approx(7 / 3)


def test_article_figures_count_views_latest_votes_resolutions_and_tickets_after_reading(fortnight):
    figures = metrics.article_figures(FORTNIGHT)
    a, b, c = (figures[fortnight.a.pk], figures[fortnight.b.pk], figures[fortnight.c.pk])

    # A: r1, r2, x2, r1 again (r9 read it before the fortnight). B: x2, x5. C: none.
    assert (a.views, b.views, c.views) == (4, 2, 0)
    # A: r1 yes, r2 yes (changed from no), the user no (changed from yes) → 2 yes, 1 no.
    assert (a.yes, a.no, b.yes, b.no, c.yes, c.no) == (2, 1, 1, 0, 11, 1)
    assert a.helpfulness == pytest.approx(2 / 3)
    # A: v1 confirmed + ticket 2's latest resolution; topic 7's acceptance of A was replaced.
    assert (a.solved_confirmed, a.tickets_resolved, a.forum_answers, a.resolutions) == (1, 1, 0, 2)
    # B: ticket 2 was resolved with B first, then with A → nothing.
    assert b.resolutions == 0
    # C: topic 7 (post 71) and topic 8 (post 80, accepted twice, one topic).
    assert (c.forum_answers, c.resolutions) == (2, 2)
    # x2 read A 35 minutes before writing (B 3 h 5 min before: outside the 2 h window); x5 read B.
    assert (a.tickets_after_reading, b.tickets_after_reading, c.tickets_after_reading) == (1, 1, 0)


def test_the_ranking_weighs_helpfulness_by_the_number_of_votes(fortnight):
    ranked = metrics.ranking(FORTNIGHT)

    # m = 14 yes / 16 votes = 0.875, C = 10:
    # C: (8.75 + 11) / 22 = 0.8977; B: (8.75 + 1) / 11 = 0.8864; A: (8.75 + 2) / 13 = 0.8269.
    # B's single yes (100 %) does not outrank C's eleven of twelve (92 %).
    assert [row.article_id for row in ranked] == [fortnight.c.pk, fortnight.b.pk, fortnight.a.pk]
    assert [round(row.score, 4) for row in ranked] == [0.8977, 0.8864, 0.8269]


def test_content_gaps_list_empty_searches_dead_ends_and_ticket_subjects_without_an_article(fortnight):
    # "vpn setup" twice (s1, s2: one normalised query), "printer" once.
    assert [(row["query"], row["searches"], row["visitors"]) for row in metrics.queries_without_results(FORTNIGHT)] == [
        ("vpn setup", 2, 2),
        ("printer", 1, 1),
    ]
    # x2 searched "battery drains" (results, no click) and wrote in 15 minutes later without
    # reading; x5's "screen dim" was followed by reading B; "brightness" got a click; r2 never wrote.
    assert [(row["query"], row["searches"]) for row in metrics.dead_end_queries(FORTNIGHT)] == [("battery drains", 1)]
    # "Battery drains fast" finds A, "Screen too dark" finds B; the teleporter finds nothing.
    gaps = metrics.subjects_without_article(FORTNIGHT)
    assert (gaps.searched, [ticket.reference for ticket in gaps.tickets]) == (3, [fortnight.anonymous.reference])


def test_a_figure_is_empty_rather_than_zero_when_nothing_happened(db):
    empty = metrics.Period.of_days(date(2020, 1, 1), date(2020, 1, 7))

    assert metrics.deflection(empty).total.implicit_rate is None
    assert metrics.self_service(empty).total.score is None
    assert metrics.ranking(empty) == []
