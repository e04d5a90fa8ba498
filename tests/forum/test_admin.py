"""Staff manage forum categories in the Wagtail admin; restricting one re-indexes its topics."""

import pytest
from django.urls import reverse
from haystack.query import SearchQuerySet

from forum import services
from forum.models import Category
from kb.search.service import search
from tests.factories import UserFactory
from tests.factories.forum import make_category, make_group, make_member
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db


def test_an_administrator_restricts_a_category_and_the_index_follows(client, django_capture_on_commit_callbacks):
    category = make_category("Beta")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_topic(make_member(), category=category, title="Flamingo beta feedback", body="Thoughts?")
    testers = make_group("Beta testers")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {"name": "Beta", "slug": category.slug, "description": "", "position": "1", "language": "",
            "restricted_to": [testers.pk]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailsnippets_forum_category:edit", args=[category.pk]), form)
    assert response.status_code == 302
    assert list(Category.objects.get(pk=category.pk).restricted_to.all()) == [testers]
    [document] = SearchQuerySet().filter(content_type="forum_topic")
    assert document.audience == [f"group:{testers.pk}"]
    assert search(reader(make_member()), "flamingo", language="en").hits == []
    assert [hit.title for hit in search(reader(make_member(testers)), "flamingo", language="en").hits] == [
        "Flamingo beta feedback"
    ]
