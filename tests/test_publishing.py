"""Wagtail's revisions, moderation workflow, scheduled publishing and privacy work on articles."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage
from tests.factories import BROWSER_HEADERS, UserFactory, make_article


@pytest.fixture
def editor(db):
    user = UserFactory(email="editor@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_a_draft_edit_makes_a_revision_and_leaves_the_live_article_unchanged(client, help_centers):
    article = make_article("Print a test page")
    revisions_before = article.revisions.count()

    article.title = "Print a test page (draft)"
    article.save_revision()

    article.refresh_from_db()
    assert article.revisions.count() == revisions_before + 1
    assert article.has_unpublished_changes
    assert ArticlePage.objects.get(pk=article.pk).title == "Print a test page"
    assert "Print a test page (draft)" not in client.get(article.url, **BROWSER_HEADERS).content.decode()


def test_an_editor_cannot_publish_but_submits_and_a_moderator_approves(help_centers, editor, moderator):
    article = make_article("Pair a Bluetooth headset")
    permissions = article.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()

    article.title = "Pair Bluetooth headphones"
    revision = article.save_revision(user=editor)
    workflow = article.get_workflow()
    workflow_state = workflow.start(article, editor)
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    article.refresh_from_db()
    assert article.live_revision_id == revision.pk
    assert ArticlePage.objects.get(pk=article.pk).title == "Pair Bluetooth headphones"
    workflow_state.refresh_from_db()
    assert workflow_state.status == workflow_state.STATUS_APPROVED


def test_the_article_editor_opens_in_the_admin_for_an_editor(client, help_centers, editor):
    article = make_article("Change the wallpaper")
    client.force_login(editor)

    response = client.get(f"/admin/pages/{article.pk}/edit/")

    assert response.status_code == 200
    assert "Related articles" in response.content.decode()


def test_a_scheduled_article_goes_live_only_when_its_time_comes(client, help_centers):
    article = make_article("Set up a VPN")
    article.unpublish()
    article.refresh_from_db()
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()

    article.refresh_from_db()
    assert not article.live
    assert client.get(article.url or f"/en/getting-started/{article.slug}/", **BROWSER_HEADERS).status_code == 404

    # Let the hour pass: move the scheduled time into the past.
    revision = article.latest_revision
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)

    article.refresh_from_db()
    assert article.live
    assert client.get(article.url, **BROWSER_HEADERS).status_code == 200


def test_a_login_restricted_article_is_hidden_from_visitors_and_listings(client, help_centers):
    public = make_article("Public article", category="privacy-test", category_title="Privacy test")
    private = make_article("Internal article", category="privacy-test", category_title="Privacy test")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(private.url, **BROWSER_HEADERS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    listing = client.get(public.get_parent().url, **BROWSER_HEADERS).content.decode()
    home = client.get("/en/", **BROWSER_HEADERS).content.decode()
    assert "Public article" in listing
    assert "Internal article" not in listing
    assert "Internal article" not in home

    client.force_login(UserFactory())
    assert client.get(private.url, **BROWSER_HEADERS).status_code == 200
