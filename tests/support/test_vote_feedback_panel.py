"""The "Why it didn't help" panel in the article editor: a side panel with the reasons per revision, the latest
comments shown as text, and a link to the report filtered to the article."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from support.feedback_panel import SHOWN_COMMENTS
from support.models import ArticleVote
from tests.factories import UserFactory, make_article
from tests.support.admin_helpers import an_editor

pytestmark = pytest.mark.django_db

#: The whole article editor page, Wagtail's own queries included (48 measured, for 1 vote or 50):
#: the panel's figures are two of them.
EDITOR_QUERIES = 48


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def a_vote(article, *, reason="", comment="", revision_id="live", days_ago=0, helpful=False):
    return ArticleVote.objects.create(
        article=article,
        revision_id=article.live_revision_id if revision_id == "live" else revision_id,
        voter_key=f"visitor:{ArticleVote.objects.count() + 1:032d}",
        helpful=helpful,
        reason=reason,
        comment=comment,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def panel(response) -> str:
    html = response.content.decode()
    start = html.index("data-feedback-panel")
    return html[start : html.index("</section>", start)]


def count_row(html, reason) -> tuple[str, str]:
    row = re.search(rf'<tr data-reason="{reason}">.*?data-current>(\d+)<.*?data-total>(\d+)<', html, re.DOTALL)
    return row.group(1), row.group(2)


@pytest.fixture
def editor(client):
    client.force_login(an_editor())
    return client


@pytest.fixture
def article(help_centers):
    return make_article("Connect to a wireless network")


def test_the_article_editor_has_a_feedback_side_panel_with_a_toggle(editor, article):
    html = editor.get(edit_url(article)).content.decode()

    assert 'data-side-panel="reader-feedback"' in html
    assert 'data-side-panel-toggle="reader-feedback"' in html
    assert "Toggle reader feedback" in html
    assert "No reader has said why this article did not help them yet." in html


def test_other_pages_keep_wagtails_editor_without_the_panel(editor, help_centers):
    html = editor.get(edit_url(help_centers["en"])).content.decode()

    assert "reader-feedback" not in html


def test_the_panel_counts_reasons_on_the_live_revision_and_overall(editor, article):
    first = article.live_revision_id
    article.title = "Connect to a Wi-Fi network"
    article.save_revision().publish()
    article.refresh_from_db()
    for _ in range(2):
        a_vote(article, reason="unclear")
    a_vote(article, reason="unclear", revision_id=first)
    a_vote(article, reason="outdated", revision_id=first)
    a_vote(article, helpful=True)
    a_vote(article)  # a bare "No" says nothing to act on

    html = panel(editor.get(edit_url(article)))

    assert count_row(html, "unclear") == ("2", "3")
    assert count_row(html, "outdated") == ("0", "1")
    assert count_row(html, "incorrect") == ("0", "0")
    assert "It is unclear or hard to follow" in html


def test_the_panel_shows_the_latest_comments_marking_those_on_an_older_version(editor, article):
    first = article.live_revision_id
    article.save_revision().publish()
    article.refresh_from_db()
    a_vote(article, reason="outdated", comment="Old wording.", revision_id=first, days_ago=2)
    a_vote(article, reason="unclear", comment="New wording is unclear.", days_ago=1)
    for n in range(SHOWN_COMMENTS):
        a_vote(article, comment=f"Recent {n}", days_ago=0)

    html = panel(editor.get(edit_url(article)))

    assert html.count("data-feedback-comment>") == SHOWN_COMMENTS
    assert "Old wording." not in html and "New wording is unclear." not in html

    ArticleVote.objects.filter(comment__startswith="Recent").delete()
    html = panel(editor.get(edit_url(article)))
    older = html.index("Old wording.")
    assert html.index("New wording is unclear.") < older
    assert html.count("on an older version") == 1
    assert html.rindex("on an older version") < older  # the marker heads the old comment
    assert "<time datetime=" in html


def test_a_hostile_comment_shows_as_text_in_its_own_direction(editor, article):
    a_vote(article, reason="other", comment='<script>alert("x")</script><b>bold</b>\x00 =cmd|calc')

    html = panel(editor.get(edit_url(article)))

    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; =cmd|calc" in html
    assert '<blockquote class="w-m-0" dir="auto" data-feedback-comment>' in html
    assert "\x00" not in html


def test_the_panel_links_to_the_report_filtered_to_the_article(editor, article):
    a_vote(article, reason="unclear", comment="Hm.")

    html = panel(editor.get(edit_url(article)))

    assert f'href="/admin/support/reports/feedback/?article={article.pk}"' in html
    report = editor.get(f"/admin/support/reports/feedback/?article={article.pk}")
    assert [vote.comment for vote in report.context["object_list"]] == ["Hm."]


def test_the_toggle_counts_feedback_on_the_live_revision(editor, article):
    a_vote(article, reason="unclear")
    a_vote(article, comment="Two.")

    html = editor.get(edit_url(article)).content.decode()
    toggle = html[html.index('data-side-panel-toggle="reader-feedback"') :]
    counter = re.search(r"data-side-panel-toggle-counter[^>]*>\s*(\d+)", toggle)

    assert counter.group(1) == "2"


def test_a_user_who_may_not_edit_the_article_never_sees_its_feedback(client, article):
    a_vote(article, reason="unclear", comment="Private remark.")
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Community moderators"))
    client.force_login(moderator)

    response = client.get(edit_url(article))

    assert response.status_code in (302, 403) and "Private remark." not in response.content.decode()


@pytest.mark.parametrize("size", [1, 50])
def test_the_editor_with_the_panel_runs_the_same_queries_however_many_votes(
    editor, article, django_assert_max_num_queries, size
):
    for n in range(size):
        a_vote(article, reason=ArticleVote.Reason.values[n % 5], comment=f"Comment {n}")
    editor.get(edit_url(article))  # warm Wagtail's per-process caches

    with django_assert_max_num_queries(EDITOR_QUERIES):
        response = editor.get(edit_url(article))

    assert response.status_code == 200 and "data-feedback-comments" in response.content.decode()
