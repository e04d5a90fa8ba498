"""Staff read what readers search for: top queries, searches without results, click-through."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from kb.models import SearchEvent
from kb.models.search_analytics import normalize_query
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOP_QUERIES = "/admin/search-reports/top-queries/"
NO_RESULTS = "/admin/search-reports/no-results/"
CLICK_THROUGH = "/admin/search-reports/click-through/"
REPORTS = [TOP_QUERIES, NO_RESULTS, CLICK_THROUGH]
#: The most queries a report page may run, however many searches it summarises (15: the admin
#: menu's "Forum moderation" item asks once whether the user is a community moderator, its
#: "Council" menu once whether they are a council manager, and the council's access check reads
#: the user's groups).
MAX_QUERIES = 15


def searched(query, *, results=1, clicks=0, visitor="a", days_ago=0, language="en", source="page"):
    return SearchEvent(
        query=query,
        normalized_query=normalize_query(query),
        language=language,
        source=source,
        result_count=results,
        click_count=clicks,
        visitor_id=visitor * 32,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def events():
    """Seven searches in the last 30 days (three of them with a click) and one older search."""
    return SearchEvent.objects.bulk_create(
        [
            searched("reset password", results=5, clicks=2, visitor="a"),
            searched("Reset  Password", results=3, clicks=0, visitor="a", days_ago=1),
            searched("RESET password", results=1, clicks=1, visitor="b", days_ago=1),
            searched("vpn", results=0, visitor="c"),
            searched("VPN", results=0, visitor="d", days_ago=1, language="ru"),
            searched("printer", results=0, visitor="a"),
            searched("wifi", results=2, clicks=1, visitor="e", source="suggest"),
            searched("ancient question", results=0, visitor="f", days_ago=60),
        ]
    )


@pytest.fixture
def editor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def rows(response) -> list[dict]:
    return list(response.context["object_list"])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_top_queries_group_spellings_and_count_searches_visitors_results_clicks_and_click_through(editor, events):
    response = editor.get(TOP_QUERIES)

    assert response.status_code == 200
    assert [
        (row["normalized_query"], row["searches"], row["visitors"], row["avg_results"], row["clicks"], row["ctr"])
        for row in rows(response)
    ] == [
        ("reset password", 3, 2, pytest.approx(3.0), 3, pytest.approx(200 / 3)),
        ("vpn", 2, 2, pytest.approx(0.0), 0, pytest.approx(0.0)),
        ("printer", 1, 1, pytest.approx(0.0), 0, pytest.approx(0.0)),
        ("wifi", 1, 1, pytest.approx(2.0), 1, pytest.approx(100.0)),
    ]
    assert "66.7%" in response.content.decode()


def test_the_reports_can_be_narrowed_by_date_language_and_source(editor, events):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    by_date = editor.get(TOP_QUERIES, {"created_at_from": yesterday, "created_at_to": yesterday})
    by_language = editor.get(TOP_QUERIES, {"language": "ru"})
    by_source = editor.get(TOP_QUERIES, {"source": "suggest"})

    assert [(row["normalized_query"], row["searches"]) for row in rows(by_date)] == [("reset password", 2), ("vpn", 1)]
    assert [row["normalized_query"] for row in rows(by_language)] == ["vpn"]
    assert [row["normalized_query"] for row in rows(by_source)] == ["wifi"]


def test_an_older_search_is_outside_the_default_thirty_days(editor, events):
    everything = editor.get(NO_RESULTS, {"created_at_from": "2000-01-01"})
    default = editor.get(NO_RESULTS)

    assert "ancient question" in [row["normalized_query"] for row in rows(everything)]
    assert "ancient question" not in [row["normalized_query"] for row in rows(default)]


def test_the_no_results_report_lists_exactly_the_queries_that_found_nothing(editor, events):
    response = editor.get(NO_RESULTS)

    assert [(row["normalized_query"], row["searches"]) for row in rows(response)] == [("vpn", 2), ("printer", 1)]
    assert rows(response)[0]["last_searched"] == events[3].created_at


def test_the_click_through_summary_gives_each_day_and_the_whole_range(editor, events):
    response = editor.get(CLICK_THROUGH)

    today, yesterday = timezone.now().date(), timezone.now().date() - timedelta(days=1)
    assert [(row["day"], row["searches"], row["clicked_searches"], row["no_results"]) for row in rows(response)] == [
        (today, 4, 2, 2),
        (yesterday, 3, 1, 1),
    ]
    assert response.context["totals"] == {"searches": 7, "clicked_searches": 3, "ctr": "42.9%"}
    assert response.content.decode().count("data-chart-mark") == 2  # a bar per day


def test_a_report_exports_its_rows_as_csv(editor, events):
    response = editor.get(TOP_QUERIES, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert csv_rows(response) == [
        ["Query", "Searches", "Visitors", "Average results", "Clicks", "Click-through rate (%)"],
        ["reset password", "3", "2", "3.0", "3", "66.7"],
        ["vpn", "2", "2", "0.0", "0", "0.0"],
        ["printer", "1", "1", "0.0", "0", "0.0"],
        ["wifi", "1", "1", "2.0", "1", "100.0"],
    ]


def test_the_no_results_and_summary_reports_export_too(editor, events):
    no_results = csv_rows(editor.get(NO_RESULTS, {"export": "csv"}))
    summary = editor.get(CLICK_THROUGH, {"export": "xlsx"})

    assert [row[:2] for row in no_results] == [["Query", "Searches"], ["vpn", "2"], ["printer", "1"]]
    assert summary.status_code == 200
    assert summary["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_query_that_looks_like_a_formula_is_exported_as_text(editor):
    SearchEvent.objects.bulk_create([searched('=HYPERLINK("http://evil.example")', results=0)])

    exported = csv_rows(editor.get(NO_RESULTS, {"export": "csv"}))

    assert exported[1][0] == '\'=hyperlink("http://evil.example")'


def test_an_editor_sees_the_search_reports_in_the_reports_menu(editor, events):
    response = editor.get("/admin/")

    assert response.status_code == 200
    for url in REPORTS:
        assert url in response.content.decode()
        assert editor.get(url).status_code == 200


def test_a_support_agent_sees_the_search_reports(client, events):
    agent = UserFactory()
    agent.groups.add(Group.objects.get(name="Support agents"))
    client.force_login(agent)

    assert [client.get(url).status_code for url in REPORTS] == [200, 200, 200]


def test_a_member_without_the_permission_cannot_open_the_reports(client, events):
    client.force_login(UserFactory())

    for url in REPORTS:
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"reset password" not in response.content


def test_staff_without_the_permission_are_refused(client, events):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Community moderators"))
    client.force_login(moderator)

    assert "/admin/search-reports/" not in client.get("/admin/").content.decode()
    for url in REPORTS:
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"reset password" not in response.content


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("url", REPORTS)
def test_a_report_page_runs_a_bounded_number_of_queries(editor, django_assert_max_num_queries, url, size):
    SearchEvent.objects.bulk_create(
        searched(f"query {n % 37}", results=n % 3, clicks=n % 2, visitor=f"{n % 9}", days_ago=n % 20)
        for n in range(size)
    )

    with django_assert_max_num_queries(MAX_QUERIES):
        response = editor.get(url)

    assert response.status_code == 200
