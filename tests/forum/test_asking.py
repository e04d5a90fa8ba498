"""While a member types a new topic's title, similar topics and help articles appear; showing
them and opening one are recorded as support events (flow "forum"), which is how a question
answered before it was asked counts as a deflection."""

import re
from html import unescape

import pytest
from django.urls import reverse

from forum import services
from support.models import Event
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_member
from tests.search_helpers import publish_article

pytestmark = pytest.mark.django_db

VISIT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def asked(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_topic(
            make_member(), category=make_category(), title="Cleaning the gecko grinder burrs", body="How often?"
        )


def test_similar_topics_and_articles_appear_for_a_title(
    client, help_centers, asked, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Clean your gecko grinder")
    client.force_login(make_member())
    response = client.get(reverse("forum:similar"), {"q": "gecko grinder", "visit": VISIT}, **BROWSER_HEADERS)
    html = response.content.decode()
    assert asked.title in html and article.title in html
    assert "Forum topic" in html and "Help article" in html


def test_showing_suggestions_records_an_event(client, asked):
    client.get(reverse("forum:similar"), {"q": "gecko grinder", "visit": VISIT}, **BROWSER_HEADERS)
    event = Event.objects.get(kind=Event.Kind.SUGGESTIONS_SHOWN)
    assert (event.flow, event.visit_id, event.query) == ("forum", VISIT, "gecko grinder")
    assert event.data == {"results": [{"kind": "forum.topic", "id": asked.pk, "title": asked.title}]}


def test_nothing_is_recorded_when_nothing_is_shown(client, asked):
    client.get(reverse("forum:similar"), {"q": "unrelated words", "visit": VISIT}, **BROWSER_HEADERS)
    assert not Event.objects.exists()


def open_links(client, query) -> list[str]:
    html = client.get(reverse("forum:similar"), {"q": query, "visit": VISIT}, **BROWSER_HEADERS).content.decode()
    return [unescape(href) for href in re.findall(r'<a href="([^"]+)"', html)]


def test_opening_a_suggested_article_records_it_and_goes_there(
    client, help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Clean your gecko grinder")
    [link] = open_links(client, "gecko grinder")
    assert link.startswith(reverse("support:open_suggestion", args=[article.pk]))
    response = client.get(link, **BROWSER_HEADERS)
    assert response.status_code == 302 and response.url == article.url  # no contact-visit marker
    event = Event.objects.get(kind=Event.Kind.SUGGESTION_OPENED)
    assert (event.article_id, event.rank, event.flow, event.visit_id) == (article.pk, 1, "forum", VISIT)
    assert event.data == {"result": {"kind": "kb.articlepage", "id": article.pk, "title": article.title}}


def test_opening_a_suggested_topic_records_its_id(client, asked):
    [link] = open_links(client, "gecko grinder")
    assert link.startswith(reverse("support:open_result"))
    response = client.get(link, **BROWSER_HEADERS)
    assert response.url == asked.get_absolute_url()
    event = Event.objects.get(kind=Event.Kind.SUGGESTION_OPENED)
    assert (event.flow, event.visit_id, event.rank) == ("forum", VISIT, 1)
    assert event.data == {"result": {"kind": "forum.topic", "id": asked.pk, "title": asked.title}}


def test_the_new_topic_form_carries_a_visit_id(client):
    client.force_login(make_member())
    form = client.get(reverse("forum:new_topic")).context["form"]
    assert len(form.initial["visit"]) == 32
