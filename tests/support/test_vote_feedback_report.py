"""The "Why it didn't help" report lists every "No" with a reason or a comment, filters them, counts
them per reason, exports them safely, and shows only votes on pages the viewer may open."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageViewRestriction

from customer_council.sections import ensure_council_section
from support.models import ArticleVote
from tests.factories import UserFactory, make_article
from tests.support.admin_helpers import XHR, an_agent, an_editor

pytestmark = pytest.mark.django_db

FEEDBACK = "/admin/support/reports/feedback/"
HOSTILE_HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def a_vote(article, *, helpful=False, reason="", comment="", revision_id="live", days_ago=0, voter=None):
    """A vote on ``article`` (its live revision unless told), as if cast ``days_ago`` days ago."""
    return ArticleVote.objects.create(
        article=article,
        revision_id=article.live_revision_id if revision_id == "live" else revision_id,
        voter_key=voter or f"visitor:{ArticleVote.objects.count() + 1:032d}",
        helpful=helpful,
        reason=reason,
        comment=comment,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def rows(response) -> list:
    return list(response.context["object_list"])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def counts(response) -> dict:
    return {row["reason"]: row["total"] for row in response.context["reason_counts"]}


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


@pytest.fixture
def article(help_centers):
    return make_article("Connect to a wireless network")


# --- Who may open it ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    assert client.get(FEEDBACK)["Location"].startswith("/admin/login/")


def test_a_member_without_admin_access_is_refused(client):
    client.force_login(UserFactory())

    response = client.get(FEEDBACK)

    assert response.status_code == 302 and not response["Location"].startswith(FEEDBACK)


def test_staff_who_neither_read_reports_nor_edit_pages_are_refused(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Community moderators"))
    client.force_login(moderator)

    assert client.get(FEEDBACK, **XHR).status_code == 403
    assert FEEDBACK not in client.get("/admin/").content.decode()


def test_a_support_agent_sees_the_report_in_the_support_menu(agent, article):
    a_vote(article, reason="unclear", comment="Which menu?")

    response = agent.get(FEEDBACK)

    assert response.status_code == 200
    assert [vote.comment for vote in rows(response)] == ["Which menu?"]
    assert FEEDBACK in agent.get("/admin/").content.decode()


def test_an_editor_sees_the_feedback_on_the_articles_they_may_change(client, article):
    a_vote(article, reason="outdated", comment="The menu moved.")
    client.force_login(an_editor())

    response = client.get(FEEDBACK)

    assert response.status_code == 200
    assert [vote.comment for vote in rows(response)] == ["The menu moved."]


# --- What it lists -----------------------------------------------------------------------------


def test_one_row_per_no_with_a_reason_or_a_comment_newest_first(agent, article):
    a_vote(article, helpful=True)
    a_vote(article)  # a bare "No": nothing to act on
    old = a_vote(article, reason="incorrect", days_ago=3)
    new = a_vote(article, comment="Typo in step 2.", days_ago=1)

    response = agent.get(FEEDBACK)

    assert [vote.pk for vote in rows(response)] == [new.pk, old.pk]
    html = response.content.decode()
    assert "The information is incorrect" in html and "Typo in step 2." in html
    assert f'href="/admin/pages/{article.pk}/edit/"' in html and "Connect to a wireless network" in html
    assert "English" in html


def test_a_vote_on_an_older_revision_is_marked_older(agent, article):
    first_revision = article.live_revision_id
    article.title = "Connect to a Wi-Fi network"
    article.save_revision().publish()
    article.refresh_from_db()
    a_vote(article, reason="unclear", comment="Still unclear.")
    a_vote(article, reason="outdated", comment="Was outdated.", revision_id=first_revision, days_ago=2)

    listed = {vote.comment: vote.is_current for vote in rows(agent.get(FEEDBACK))}

    assert listed == {"Still unclear.": True, "Was outdated.": False}
    exported = csv_rows(agent.get(FEEDBACK, {"export": "csv"}))
    assert [row[-1] for row in exported[1:]] == ["Current", "Older"]


def test_the_summary_counts_each_reason_in_the_filtered_range(agent, article):
    for _ in range(3):
        a_vote(article, reason="unclear")
    a_vote(article, reason="outdated")
    a_vote(article, reason="outdated", days_ago=40)
    a_vote(article, comment="Just a comment.")

    everything = agent.get(FEEDBACK)
    recent = agent.get(FEEDBACK, {"created_at_from": (timezone.localdate() - timedelta(days=7)).isoformat()})

    assert counts(everything) == {
        "incorrect": 0, "unclear": 3, "doesnt_apply": 0, "outdated": 2, "other": 0, "": 1
    }  # fmt: skip
    assert counts(recent)["outdated"] == 1 and counts(recent)["unclear"] == 3
    html = recent.content.decode()
    assert "data-feedback-summary" in html and '<dd data-reason="unclear">3</dd>' in html


# --- Filters -----------------------------------------------------------------------------------


def test_the_filters_narrow_by_date_language_reason_article_and_comment(agent, help_centers):
    english = make_article("Print a page")
    persian = make_article("چاپ یک صفحه", locale="fa")
    a_vote(english, reason="unclear", comment="What is a tray?", days_ago=1)
    a_vote(english, reason="outdated", days_ago=20)
    a_vote(persian, reason="unclear", comment="کدام منو؟")
    today = timezone.localdate()

    def comments(**query):
        return sorted(vote.comment or vote.reason for vote in rows(agent.get(FEEDBACK, query)))

    assert comments(created_at_from=(today - timedelta(days=5)).isoformat()) == ["What is a tray?", "کدام منو؟"]
    assert comments(created_at_to=(today - timedelta(days=10)).isoformat()) == ["outdated"]
    assert comments(language="fa") == ["کدام منو؟"]
    assert comments(reason="outdated") == ["outdated"]
    assert comments(article=english.pk) == ["What is a tray?", "outdated"]
    assert comments(with_comment="on") == ["What is a tray?", "کدام منو؟"]
    assert comments(language="en", with_comment="on") == ["What is a tray?"]


def test_the_article_filter_names_the_article_above_the_figures(agent, article):
    a_vote(article, reason="unclear")

    html = agent.get(FEEDBACK, {"article": article.pk}).content.decode()

    assert "Reasons given after “No” on" in html and "Connect to a wireless network</span>" in html


# --- Privacy -----------------------------------------------------------------------------------


def test_votes_on_a_page_the_viewer_may_not_open_never_show(agent, help_centers):
    public = make_article("Public article")
    private = make_article("Okapi roadmap")
    insiders = Group.objects.create(name="Insiders")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(insiders)
    a_vote(public, reason="unclear", comment="Public comment.")
    a_vote(private, reason="incorrect", comment="Okapi secret comment.")

    response = agent.get(FEEDBACK)
    exported = b"".join(agent.get(FEEDBACK, {"export": "csv"}).streaming_content).decode()
    by_id = agent.get(FEEDBACK, {"article": private.pk})

    assert [vote.comment for vote in rows(response)] == ["Public comment."]
    assert counts(response)["incorrect"] == 0
    assert "Okapi" not in response.content.decode() and "Okapi" not in exported
    assert rows(by_id) == [] and "Okapi" not in by_id.content.decode()


def test_a_member_of_the_restricting_group_sees_those_votes(client, help_centers):
    private = make_article("Okapi roadmap")
    insiders = Group.objects.create(name="Insiders")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(insiders)
    a_vote(private, reason="incorrect", comment="Okapi comment.")
    insider = an_agent()
    insider.groups.add(insiders)
    client.force_login(insider)

    assert [vote.comment for vote in rows(client.get(FEEDBACK))] == ["Okapi comment."]


def test_council_pages_feedback_stays_out_for_an_agent(agent, help_centers):
    section = ensure_council_section(help_centers["en"])
    # Any page in the council's section carries its restriction; a vote on it must not show.
    a_vote(section, reason="other", comment="Council-only remark.")

    response = agent.get(FEEDBACK)

    assert rows(response) == [] and "Council-only remark." not in response.content.decode()


def test_an_editor_sees_nothing_of_pages_they_may_not_change(client, article):
    a_vote(article, reason="unclear", comment="Editor-visible?")
    # Editors' page permissions start at the root; these may change one other section only.
    limited = Group.objects.create(name="Limited editors")
    limited.permissions.add(*Group.objects.get(name="Editors").permissions.all())
    limited_page = make_article("Another section's article", category="other", category_title="Other")
    GroupPagePermission.objects.create(group=limited, page=limited_page, permission_type="change")
    user = UserFactory()
    user.groups.add(limited)
    client.force_login(user)

    response = client.get(FEEDBACK)

    assert response.status_code == 200 and rows(response) == []


# --- Reader text, shown and exported safely ------------------------------------------------------


def test_a_hostile_comment_is_shown_as_text_in_its_own_direction(agent, article):
    a_vote(article, reason="other", comment=HOSTILE_HTML + "\nsecond line\x00")

    html = agent.get(FEEDBACK).content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<span dir="auto" data-feedback-comment>' in html
    assert "<br>second line" in html and "\x00" not in html


def test_the_csv_export_makes_formulas_text_and_drops_nul(agent, article):
    a_vote(article, reason="other", comment='=HYPERLINK("http://evil.example","click")', days_ago=1)
    a_vote(article, reason="unclear", comment="+cmd|' /C calc'!A0\x00")

    exported = csv_rows(agent.get(FEEDBACK, {"export": "csv"}))

    assert exported[0] == ["Date", "Page id", "Article", "Language", "Reason", "Comment", "Revision"]
    comments = [row[5] for row in exported[1:]]
    assert comments == ["'+cmd|' /C calc'!A0", '\'=HYPERLINK("http://evil.example","click")']
    assert exported[1][2] == "Connect to a wireless network" and exported[1][3] == "en"
    assert exported[1][4] == "It is unclear or hard to follow"


def test_the_xlsx_export_holds_the_same_rows_safely(agent, article):
    a_vote(article, reason="other", comment="=cmd|' /C calc'!A0\x00\x07 and <b>bold</b>")

    response = agent.get(FEEDBACK, {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = [[cell.value for cell in row] for row in workbook.active.iter_rows()]

    assert response.status_code == 200
    assert sheet[0][5] == "Comment"
    assert sheet[1][5] == "'=cmd|' /C calc'!A0 and <b>bold</b>"
    assert sheet[1][1] == article.pk and sheet[1][6] == "Current"


def test_the_export_leaves_out_votes_on_pages_the_viewer_may_not_open(agent, help_centers):
    private = make_article("Okapi roadmap")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    a_vote(private, reason="incorrect", comment="Secret.")

    exported = csv_rows(agent.get(FEEDBACK, {"export": "csv"}))

    assert exported[1:] == []


# --- Cost --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 50])
def test_the_report_runs_the_same_few_queries_however_many_votes(
    agent, help_centers, django_assert_max_num_queries, size
):
    articles = [make_article(f"Article {n}") for n in range(3)]
    for n in range(size):
        a_vote(articles[n % 3], reason=ArticleVote.Reason.values[n % 5], comment=f"Comment {n}")
    agent.get(FEEDBACK)  # warm Wagtail's per-process caches (menus, site root paths)

    # Measured: Wagtail's admin page (session, user, menus, the Support menu's counts) and the
    # report's own three (the rows, their count, the figures per reason), the same for 1 or 50.
    with django_assert_max_num_queries(17):
        response = agent.get(FEEDBACK, {"article": articles[0].pk})
    with django_assert_max_num_queries(8):
        exported = agent.get(FEEDBACK, {"export": "csv"})
        assert len(csv_rows(exported)) == size + 1

    assert response.status_code == 200
