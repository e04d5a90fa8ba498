"""Anonymous readers get public article, category and topic pages from the shared page cache.

The cache (sitewide.page_cache) is off in the test settings; these tests turn it on. A fresh
Client stands for a new browser: no cookies, so it is what the cache serves.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from forum.services import posting, votes
from sitewide.page_cache import STATUS_HEADER
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.factories.forum import make_category, make_topic

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def browser() -> Client:
    return Client(**BROWSER_HEADERS)


def stored_then_hit(url: str):
    first = browser().get(url)
    assert first.status_code == 200
    assert first[STATUS_HEADER] == "stored"
    second = browser().get(url)
    assert second[STATUS_HEADER] == "hit"
    return first, second


def test_a_second_anonymous_article_view_only_counts_the_view(django_assert_max_num_queries):
    article = make_article("Reset the grinder", body="Unplug the grinder first.")
    browser().get(article.url)

    # Rendering costs nothing; the view is still counted: the daily row and an ARTICLE_VIEWED
    # event (an INSERT in a savepoint, inside the test's transaction: 4 statements in all).
    with django_assert_max_num_queries(4):
        response = browser().get(article.url)

    assert response[STATUS_HEADER] == "hit"
    assert "Unplug the grinder first." in response.content.decode()


def test_article_views_are_still_counted_when_served_from_the_cache():
    from kb.models import ArticleDailyView

    article = make_article()
    stored_then_hit(article.url)

    assert ArticleDailyView.objects.get(article_id=article.pk).views == 2


def test_a_category_page_from_the_cache_runs_no_query(django_assert_num_queries):
    article = make_article(category="brewing", category_title="Brewing")
    category_url = article.get_parent().url
    browser().get(category_url)

    with django_assert_num_queries(0):
        response = browser().get(category_url)

    assert response[STATUS_HEADER] == "hit"
    assert article.title in response.content.decode()


def test_a_topic_page_from_the_cache_runs_at_most_one_query(django_assert_max_num_queries):
    topic = make_topic("Milk frothing tips", posts=3)
    url = topic.get_absolute_url()
    browser().get(url)

    with django_assert_max_num_queries(1):  # the view count, once per reader an hour
        response = browser().get(url)

    assert response[STATUS_HEADER] == "hit"
    assert "Milk frothing tips" in response.content.decode()


def test_a_published_change_shows_at_once(django_capture_on_commit_callbacks):
    article = make_article("Old title")
    stored_then_hit(article.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "New title"
        article.save_revision().publish()

    response = browser().get(article.url)
    assert response[STATUS_HEADER] == "stored"
    assert "New title" in response.content.decode()


def test_an_unpublished_article_is_gone_at_once(django_capture_on_commit_callbacks):
    article = make_article()
    stored_then_hit(article.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert browser().get(article.url).status_code == 404


def test_a_reply_shows_at_once(django_capture_on_commit_callbacks):
    topic = make_topic("Descaling", posts=1)
    url = topic.get_absolute_url()
    stored_then_hit(url)

    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(UserFactory(), topic, "Citric acid works well for me.")

    response = browser().get(url)
    assert response[STATUS_HEADER] == "stored"
    assert "Citric acid works well for me." in response.content.decode()


def test_a_vote_on_a_post_shows_at_once(django_capture_on_commit_callbacks):
    topic = make_topic(posts=2)
    url = topic.get_absolute_url()
    stored_then_hit(url)

    with django_capture_on_commit_callbacks(execute=True):
        votes.vote(UserFactory(), topic.posts.get(position=2))

    assert browser().get(url)[STATUS_HEADER] == "stored"


def test_a_visitor_who_voted_sees_their_own_vote_not_the_cached_question():
    article = make_article()
    stored_then_hit(article.url)
    voter = browser()
    voter.get(article.url)

    voter.post(reverse("support:vote", args=[article.pk]), {"helpful": "yes", "revision": article.live_revision_id})
    response = voter.get(article.url)

    assert response.get(STATUS_HEADER) != "hit"
    assert "Thanks for your feedback!" in response.content.decode()
    assert "Thanks for your feedback!" not in browser().get(article.url).content.decode()


def test_a_logged_in_member_is_never_served_from_the_cache():
    article = make_article()
    stored_then_hit(article.url)
    member = UserFactory(display_name="Ada Member")
    client = browser()
    client.force_login(member)

    response = client.get(article.url)

    assert STATUS_HEADER not in response
    assert "Log out" in response.content.decode()


def test_a_private_page_is_never_stored():
    article = make_article()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

    for _ in range(2):
        response = browser().get(article.url)
        assert response.get(STATUS_HEADER) != "hit"
        assert "Some helpful text." not in response.content.decode()


def test_a_topic_in_a_restricted_category_is_never_stored():
    from django.contrib.auth.models import Group

    topic = make_topic(category=make_category(restricted_to=[Group.objects.create(name="Insiders")]))

    for _ in range(2):
        assert browser().get(topic.get_absolute_url()).status_code == 404


def test_a_cached_page_carries_the_readers_own_csrf_token_and_its_form_works():
    article = make_article()
    first, second = stored_then_hit(article.url)
    first_token = CSRF_VALUE.search(first.content.decode()).group(1)
    second_token = CSRF_VALUE.search(second.content.decode()).group(1)

    assert second_token != first_token
    assert "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "sessionid" not in second.cookies

    reader = Client(enforce_csrf_checks=True, **BROWSER_HEADERS)
    page = reader.get(article.url)
    assert page[STATUS_HEADER] == "hit"
    token = CSRF_VALUE.search(page.content.decode()).group(1)
    vote = reader.post(
        reverse("support:vote", args=[article.pk]),
        {"helpful": "yes", "revision": article.live_revision_id, "csrfmiddlewaretoken": token},
    )
    assert vote.status_code in (200, 302)


def test_each_language_has_its_own_entry():
    english = make_article("Descale the machine", locale="en")
    russian = make_article("Удаление накипи", locale="ru")
    stored_then_hit(english.url)

    response = browser().get(russian.url)

    assert response[STATUS_HEADER] == "stored"
    assert "Удаление накипи" in response.content.decode()


def test_a_page_opened_from_the_contact_form_is_rendered_afresh():
    article = make_article()
    stored_then_hit(article.url)

    response = browser().get(f"{article.url}?from_contact=abc123")

    assert STATUS_HEADER not in response


def test_healthz_names_the_cache_backend(client):
    report = client.get("/healthz").json()

    assert report["cache"] == {"ok": True, "backend": "LocMemCache"}
    assert report["database"]["vendor"] == "sqlite"
    assert report["channel_layer"]["backend"] == "InMemoryChannelLayer"
