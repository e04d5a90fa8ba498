"""The "Stories" report: per story views, unique visitors, what readers did next and the sign-ups
after reading by referral answer; its chart, CSV/XLSX export, constant queries, and who may open it."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from stories.measuring import sign_ups_by_referral, story_figures
from support.events import record_event
from support.metrics import Period
from support.models import Event
from tests.factories import UserFactory
from tests.factories.stories import make_story
from tests.support.admin_helpers import XHR, an_agent, an_editor

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/stories/"
#: The whole report page (session, user, permissions, figures), whatever the number of stories and events.
REPORT_QUERIES = 19


def visitor(name: str) -> str:
    return name.ljust(32, "0")


def view(story, who, *, at=None):
    record_event(Event.Kind.STORY_VIEWED, article=story, visitor_id=visitor(who), at=at or timezone.now())


def sign_up(who, *, referral="", at=None):
    user = UserFactory(referral_source=referral)
    record_event(Event.Kind.SIGNED_UP, visitor_id=visitor(who), user=user, at=at or timezone.now())
    return user


def later(minutes=5):
    return timezone.now() + timedelta(minutes=minutes)


def row_of(figures, story):
    return next(row for row in figures if row.story_id == story.pk)


@pytest.fixture
def stories(story_indexes):
    return make_story("Acme halves its tickets"), make_story("Globex answers faster")


@pytest.fixture
def editor(client):
    client.force_login(an_editor())
    return client


def test_views_and_unique_visitors_per_story(stories):
    acme, globex = stories
    view(acme, "ann")
    view(acme, "ann", at=later(60))
    view(acme, "bob")
    view(globex, "bob")

    figures = story_figures(Period.last_days(30))

    assert [row.story_id for row in figures] == [acme.pk, globex.pk]
    assert (row_of(figures, acme).views, row_of(figures, acme).visitors) == (3, 2)
    assert (row_of(figures, globex).views, row_of(figures, globex).visitors) == (1, 1)
    assert row_of(figures, acme).title == "Acme halves its tickets"


def test_what_a_reader_did_next_counts_for_the_story_they_had_read(stories):
    acme, globex = stories
    start = timezone.now() - timedelta(days=3)
    view(acme, "ann", at=start)
    record_event(Event.Kind.CONTACT_STARTED, visitor_id=visitor("ann"), flow="contact", at=start + timedelta(hours=1))
    record_event(Event.Kind.TICKET_CREATED, visitor_id=visitor("ann"), flow="contact", at=start + timedelta(hours=2))
    record_event(Event.Kind.SUGGESTIONS_SHOWN, visitor_id=visitor("ann"), flow="forum", at=start + timedelta(days=1))
    sign_up("ann", referral="friend", at=start + timedelta(days=2))
    view(globex, "bob", at=start)
    record_event(Event.Kind.SUGGESTION_OPENED, visitor_id=visitor("bob"), flow="forum", at=start + timedelta(hours=3))

    figures = story_figures(Period.last_days(30))

    ann = row_of(figures, acme)
    assert (ann.contact_started, ann.ticket_created, ann.forum_started, ann.signed_up) == (1, 1, 1, 1)
    assert ann.referrals == {"friend": 1}
    bob = row_of(figures, globex)
    assert (bob.contact_started, bob.ticket_created, bob.forum_started, bob.signed_up) == (0, 0, 1, 0)


def test_actions_before_the_view_too_late_or_by_someone_else_are_not_attributed(stories):
    acme, _globex = stories
    start = timezone.now() - timedelta(days=20)
    record_event(Event.Kind.CONTACT_STARTED, visitor_id=visitor("ann"), at=start - timedelta(minutes=1))
    view(acme, "ann", at=start)
    record_event(Event.Kind.TICKET_CREATED, visitor_id=visitor("ann"), at=start + timedelta(days=8))
    record_event(Event.Kind.SUGGESTIONS_SHOWN, visitor_id=visitor("ann"), flow="contact", at=start + timedelta(hours=1))
    record_event(Event.Kind.CONTACT_STARTED, visitor_id=visitor("eve"), at=start + timedelta(hours=1))
    sign_up("eve", referral="search", at=start + timedelta(hours=1))

    row = row_of(story_figures(Period.last_days(30)), acme)

    assert (row.contact_started, row.ticket_created, row.forum_started, row.signed_up) == (0, 0, 0, 0)
    assert row.referrals == {}


def test_views_outside_the_period_are_not_counted(stories):
    acme, _globex = stories
    view(acme, "ann", at=timezone.now() - timedelta(days=40))

    assert story_figures(Period.last_days(30)) == []


def test_sign_ups_by_referral_count_each_account_once_across_stories(stories):
    acme, globex = stories
    for who, referral in [("ann", "friend"), ("bob", "friend"), ("cat", ""), ("dan", "search")]:
        view(acme, who)
        view(globex, who)
        sign_up(who, referral=referral, at=later())

    figures = story_figures(Period.last_days(30))

    assert row_of(figures, acme).referrals == {"friend": 2, "": 1, "search": 1}
    assert row_of(figures, acme).signed_up == 4
    assert sign_ups_by_referral(Period.last_days(30)) == {"friend": 2, "": 1, "search": 1}


def test_the_report_shows_each_story_s_figures_and_a_chart(editor, stories):
    acme, globex = stories
    view(acme, "ann")
    view(acme, "bob")
    view(globex, "bob")
    sign_up("ann", referral="friend", at=later())

    response = editor.get(REPORT)

    assert response.status_code == 200
    rows = {row["title"]: row for row in response.context["object_list"]}
    assert rows["Acme halves its tickets"]["views"] == 2
    assert rows["Acme halves its tickets"]["signed_up"] == 1
    assert rows["Acme halves its tickets"]["referral_friend"] == 1
    assert rows["Globex answers faster"]["visitors"] == 1
    page = response.content.decode()
    assert 'role="img"' in page and "Acme halves its tickets: 2 views" in page
    assert "A friend or colleague: 1" in page
    assert f"/admin/pages/{acme.pk}/edit/" in page


@pytest.mark.parametrize("language, mirrored", [("en", False), ("he", True), ("fa", True)])
def test_the_chart_runs_from_the_start_side_of_the_admins_language(client, stories, language, mirrored):
    """In a right-to-left admin the layout is mirrored, not the drawing (its text must still read):
    the most viewed story's bar stands on the right like the first column of the table."""
    user = an_editor()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    view(stories[0], "ann")

    view(stories[1], "bob")
    view(stories[1], "cy")

    response = client.get(REPORT)

    page = response.content.decode()
    assert f'dir="{"rtl" if mirrored else "ltr"}"' in page
    assert "scaleX(-1)" not in page
    most, next_most = response.context["chart"].periods
    assert (float(most.x) > float(next_most.x)) is mirrored


def test_the_date_filter_chooses_the_period(editor, stories):
    acme, _globex = stories
    view(acme, "ann", at=timezone.now() - timedelta(days=60))
    first = (timezone.localdate() - timedelta(days=61)).isoformat()
    last = (timezone.localdate() - timedelta(days=59)).isoformat()

    default = editor.get(REPORT)
    chosen = editor.get(REPORT, {"created_at_from": first, "created_at_to": last})

    assert list(default.context["object_list"]) == []
    assert [row["views"] for row in chosen.context["object_list"]] == [1]


def test_hostile_dates_and_orderings_are_ignored_not_an_error(editor, stories):
    acme, globex = stories
    view(acme, "ann")
    view(globex, "ann")
    view(globex, "bob")

    for query in [
        {"created_at_from": "\x00'; DROP TABLE", "created_at_to": "9" * 400},
        {"ordering": "__class__"},
        {"ordering": "-" * 5000},
        {"ordering": "title\x00"},
    ]:
        response = editor.get(REPORT, query)

        assert response.status_code == 200
        assert [row["views"] for row in response.context["object_list"]] == [2, 1]


def test_the_table_can_be_sorted_by_a_figure(editor, stories):
    acme, globex = stories
    view(acme, "ann")
    view(globex, "ann")
    view(globex, "bob")

    response = editor.get(REPORT, {"ordering": "views"})

    assert [row["title"] for row in response.context["object_list"]] == [acme.title, globex.title]


def test_the_csv_export_has_a_column_per_referral_answer_and_safe_titles(editor, stories):
    acme, _globex = stories
    acme.title = '=HYPERLINK("http://evil")'
    acme.save_revision().publish()
    view(acme, "ann")
    sign_up("ann", referral="event", at=later())

    response = editor.get(REPORT, {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    heading = rows[0]
    assert heading[:8] == [
        "Page id",
        "Story",
        "Views",
        "Unique visitors",
        "Opened the contact form",
        "Opened a ticket",
        "Started a forum question",
        "Signed up",
    ]
    assert "An event or webinar" in heading and "No answer" in heading
    values = dict(zip(heading, rows[1], strict=True))
    assert values["Story"] == '\'=HYPERLINK("http://evil")'
    assert (values["Page id"], values["Views"], values["Signed up"], values["An event or webinar"]) == (
        str(acme.pk),
        "1",
        "1",
        "1",
    )


def test_the_xlsx_export_holds_the_same_figures(editor, stories):
    acme, globex = stories
    view(acme, "ann")
    view(globex, "bob")
    view(globex, "cat")

    response = editor.get(REPORT, {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Page id", "Story", "Views")
    assert [row[1:3] for row in rows[1:]] == [("Globex answers faster", 2), ("Acme halves its tickets", 1)]


def test_the_report_runs_a_constant_number_of_queries(editor, stories, django_assert_max_num_queries):
    acme, _globex = stories
    view(acme, "ann")
    sign_up("ann", referral="friend", at=later())
    with CaptureQueriesContext(connection) as few:
        assert editor.get(REPORT).status_code == 200

    for n in range(12):
        story = make_story(f"Story number {n}")
        for who in ("ann", "bob", "cat"):
            view(story, f"{who}{n}")
            sign_up(f"{who}{n}", referral="search", at=later())
            record_event(Event.Kind.CONTACT_STARTED, visitor_id=visitor(f"{who}{n}"), at=later())

    with django_assert_max_num_queries(REPORT_QUERIES), CaptureQueriesContext(connection) as many:
        response = editor.get(REPORT)
    assert len(response.context["object_list"]) == 13
    assert len(many) == len(few)


def test_editors_and_superusers_find_the_report_in_the_reports_menu(client, admin_user, stories):
    for user in (an_editor(), admin_user):
        client.force_login(user)

        assert REPORT in client.get("/admin/").content.decode()
        assert client.get(REPORT).status_code == 200


@pytest.mark.parametrize("who", ["support agent", "council manager", "member"])
def test_other_staff_and_members_are_refused(client, stories, who):
    if who == "support agent":
        user = an_agent()
    elif who == "council manager":
        user = UserFactory()
        user.groups.add(Group.objects.get(name="Council managers"))
    else:
        user = UserFactory()
    client.force_login(user)

    assert REPORT not in client.get("/admin/").content.decode()
    assert client.get(REPORT).status_code == 302
    assert client.get(REPORT, **XHR).status_code in (302, 403)
    assert client.get(REPORT, {"export": "csv"}).status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    assert client.get(REPORT)["Location"].startswith("/admin/login/")
