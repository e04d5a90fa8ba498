"""Nothing leaks and nothing goes stale: search shows only what the reader may open, now."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage
from kb.search.service import search, suggest
from tests.factories import UserFactory, make_article
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.title for hit in results.hits]


def suggested_titles(request, query):
    return [hit.title for hit in suggest(request, query, language="en")]


def test_a_published_article_is_found_and_an_unpublished_one_disappears(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Calibrate the zebrafish scanner")
    assert titles(search(reader(), "zebrafish", language="en")) == ["Calibrate the zebrafish scanner"]

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert search(reader(), "zebrafish", language="en").total == 0
    assert suggested_titles(reader(), "zebrafish") == []


def test_a_deleted_article_leaves_the_index(help_centers, django_capture_on_commit_callbacks):
    article = publish_article(django_capture_on_commit_callbacks, "Replace the quokka battery")

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()

    assert search(reader(), "quokka", language="en").total == 0


def test_an_unpublished_draft_edit_never_changes_what_search_shows(help_centers, django_capture_on_commit_callbacks):
    article = publish_article(django_capture_on_commit_callbacks, "Pair the okapi keyboard")

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Pair the narwhal keyboard"
        article.save_revision()

    assert titles(search(reader(), "okapi", language="en")) == ["Pair the okapi keyboard"]
    assert search(reader(), "narwhal", language="en").total == 0


def test_a_login_restricted_article_shows_only_to_people_who_are_logged_in(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Internal pangolin procedures")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    assert search(reader(), "pangolin", language="en").hits == []
    assert suggested_titles(reader(), "pangolin") == []
    assert titles(search(reader(UserFactory()), "pangolin", language="en")) == ["Internal pangolin procedures"]


def test_a_group_restricted_article_shows_only_to_the_group(help_centers, django_capture_on_commit_callbacks):
    council = Group.objects.create(name="Advisory council")
    member, outsider = UserFactory(), UserFactory()
    member.groups.add(council)
    article = publish_article(django_capture_on_commit_callbacks, "Roadmap for the axolotl release")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(council)

    for request in (reader(), reader(outsider)):
        results = search(request, "axolotl", language="en")
        assert results.hits == []
        assert results.total == 0, "the count and facets must not reveal restricted content either"
        assert suggested_titles(request, "axolotl") == []
    assert titles(search(reader(member), "axolotl", language="en")) == ["Roadmap for the axolotl release"]


def test_an_article_moved_under_a_restricted_category_disappears_for_outsiders(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Tapir sync settings", category="public-topic")
    private = publish_article(
        django_capture_on_commit_callbacks, "Private placeholder", category="private-topic"
    ).get_parent()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    with django_capture_on_commit_callbacks(execute=True):
        article.move(private, pos="last-child")

    assert search(reader(), "tapir", language="en").total == 0
    assert titles(search(reader(UserFactory()), "tapir", language="en")) == ["Tapir sync settings"]


def test_a_stale_index_entry_is_dropped_by_the_database_recheck(help_centers, django_capture_on_commit_callbacks):
    article = publish_article(django_capture_on_commit_callbacks, "Wombat firmware update")
    # The database changes behind the index's back (no signal, no index update).
    ArticlePage.objects.filter(pk=article.pk).update(live=False)

    assert search(reader(), "wombat", language="en").hits == []
    assert suggested_titles(reader(), "wombat") == []


def test_a_rolled_back_publish_never_reaches_the_index(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Pair a keyboard")  # an index in use, not an empty one
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_article("Ocelot printer driver")
    # The transaction never committed: its after-commit index writes were never run.
    assert callbacks
    assert search(reader(), "ocelot", language="en").total == 0
