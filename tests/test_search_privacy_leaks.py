"""Search reveals nothing of restricted content: not a spelling suggestion, not a count, not a facet.

Each case is read as an anonymous visitor, a logged-in outsider and a member who may open the
restricted page.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from forum import services
from kb.search.service import search, spelling_suggestion
from tests.factories import UserFactory, make_article
from tests.factories.forum import make_category, make_group, make_member
from tests.search_helpers import publish_article, reader

COUNCIL = "Advisory council"


def readers():
    council = Group.objects.get_or_create(name=COUNCIL)[0]
    member = UserFactory()
    member.groups.add(council)
    return {"anonymous": reader(), "outsider": reader(UserFactory()), "member": reader(member)}, council


def restrict_to_group(page, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return restriction


@pytest.mark.django_db
def test_did_you_mean_never_offers_a_word_found_only_in_a_group_restricted_article(
    help_centers, django_capture_on_commit_callbacks
):
    people, council = readers()
    publish_article(django_capture_on_commit_callbacks, "Printer setup", body="Install the printer driver.")
    secret = publish_article(
        django_capture_on_commit_callbacks, "Council agenda", body="The quetzalcoatl migration plan."
    )
    with django_capture_on_commit_callbacks(execute=True):
        restrict_to_group(secret, council)

    for role, request in people.items():
        results = search(request, "quetzalcoatk", language="en")
        assert "quetzalcoatl" not in results.suggestion, role
        assert results.total == 0 and results.hits == [], role
    assert "printer" in spelling_suggestion("priner")


@pytest.mark.django_db
def test_did_you_mean_never_offers_a_word_found_only_in_a_restricted_forum_category(
    help_centers, django_capture_on_commit_callbacks
):
    council = make_group(COUNCIL)
    member = make_member(council)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_topic(
            member,
            category=make_category(restricted_to=[council]),
            title="Roadmap preview",
            body="The xylophagous release is coming.",
        )
        services.create_topic(make_member(), category=make_category(), title="Printer help", body="Printer jams.")

    for role, request in {"anonymous": reader(), "outsider": reader(UserFactory()), "member": reader(member)}.items():
        suggestion = search(request, "xylophagus", language="en").suggestion
        assert "xylophagous" not in suggestion, role
    assert "printer" in spelling_suggestion("printr")


@pytest.mark.django_db
def test_did_you_mean_forgets_the_words_of_an_article_once_it_is_made_private(
    help_centers, django_capture_on_commit_callbacks
):
    _people, council = readers()
    article = publish_article(django_capture_on_commit_callbacks, "Tapir tracking", body="Tapir tracking for rangers.")
    assert "tapir" in spelling_suggestion("tapor")

    with django_capture_on_commit_callbacks(execute=True):
        restrict_to_group(article, council)

    assert "tapir" not in spelling_suggestion("tapor")


@pytest.mark.django_db
def test_a_hit_the_index_still_thinks_public_is_neither_shown_nor_counted(
    help_centers, django_capture_on_commit_callbacks
):
    people, council = readers()
    article = publish_article(django_capture_on_commit_callbacks, "Capybara roadmap", body="Capybara plans.")
    restrict_to_group(article, council)  # committed without its re-index: the index lags behind

    for role in ("anonymous", "outsider"):
        results = search(people[role], "capybara", language="en")
        assert results.hits == [] and results.total == 0, role
        assert all(count == 0 for values in results.facets.values() for _value, count in values), role
    assert [hit.title for hit in search(people["member"], "capybara", language="en").hits] == ["Capybara roadmap"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_privacy_set_through_the_admin_is_indexed_for_the_group_and_never_counted_for_others(help_centers):
    """Wagtail's privacy form saves the restriction, then its groups, in two commits."""
    people, council = readers()
    article = make_article("Manatee release notes", body="Manatee details.")  # committed: the index follows
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = editor.post(
        f"/admin/pages/{article.pk}/privacy/", {"restriction_type": "groups", "groups": [council.pk]}
    )

    assert response.status_code == 200
    assert PageViewRestriction.objects.get(page=article).groups.get() == council
    for role in ("anonymous", "outsider"):
        results = search(people[role], "manatee", language="en")
        assert results.total == 0 and results.hits == [], role
        assert results.facets.get("content_type", []) == [], role
    member_results = search(people["member"], "manatee", language="en")
    assert member_results.total == 1 and [hit.title for hit in member_results.hits] == ["Manatee release notes"]
