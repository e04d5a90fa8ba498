"""Recording story views and sign-ups in support's event log: one event per reader and half hour,
nothing for bots or previews, and a sign-up tied to the browser that read the stories."""

import pytest
from django.core.cache import cache
from django.test import Client

from sitewide.visitor import VISITOR_COOKIE
from stories import measuring
from support.models import Event
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.factories.stories import make_story

pytestmark = pytest.mark.django_db

CRAWLER = "Googlebot/2.1 (+http://www.google.com/bot.html)"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def story(story_indexes):
    return make_story("Acme halves its tickets")


def views_of(story):
    return Event.objects.filter(kind=Event.Kind.STORY_VIEWED, article=story)


def test_opening_a_story_records_one_view_of_that_story_by_the_visitor(story):
    browser = Client(**BROWSER_HEADERS)

    response = browser.get(story.url)

    [view] = views_of(story)
    assert response.status_code == 200
    assert view.visitor_id == browser.cookies[VISITOR_COOKIE].value
    assert view.language == "en" and view.user is None


def test_a_logged_in_reader_s_view_names_the_user(story):
    browser = Client(**BROWSER_HEADERS)
    reader = UserFactory()
    browser.force_login(reader)

    browser.get(story.url)

    assert views_of(story).get().user == reader


def test_a_reload_within_half_an_hour_is_not_counted_again(story):
    browser = Client(**BROWSER_HEADERS)

    for _reload in range(3):
        assert browser.get(story.url).status_code == 200

    assert views_of(story).count() == 1


def test_a_browser_without_cookies_is_counted_once_per_half_hour(story):
    for _reload in range(3):
        Client(**BROWSER_HEADERS).get(story.url)

    assert views_of(story).count() == 1


def test_the_same_reader_counts_again_once_the_half_hour_is_over(story):
    browser = Client(**BROWSER_HEADERS)
    browser.get(story.url)

    cache.clear()  # what the window's expiry does
    browser.get(story.url)

    assert views_of(story).count() == 2


def test_other_readers_and_other_stories_count_separately(story):
    other_story = make_story("Globex answers faster")
    first, second = Client(**BROWSER_HEADERS, REMOTE_ADDR="10.0.0.1"), Client(**BROWSER_HEADERS, REMOTE_ADDR="10.0.0.2")

    first.get(story.url)
    first.get(other_story.url)
    second.get(story.url)

    assert views_of(story).values("visitor_id").distinct().count() == 2
    assert views_of(other_story).count() == 1


@pytest.mark.parametrize("user_agent", [CRAWLER, "curl/8.5.0", ""])
def test_bots_and_scripts_record_no_view(story, user_agent):
    Client(HTTP_USER_AGENT=user_agent).get(story.url)

    assert not views_of(story).exists()


def test_a_head_request_or_a_missing_page_records_no_view(story):
    browser = Client(**BROWSER_HEADERS)

    browser.head(story.url)
    browser.get(story.url + "no-such-page/")

    assert not Event.objects.filter(kind=Event.Kind.STORY_VIEWED).exists()


def test_an_editor_s_preview_records_no_view(story, admin_client):
    admin_client.defaults.update(BROWSER_HEADERS)

    response = admin_client.get(f"/admin/pages/{story.pk}/view_draft/")

    assert response.status_code == 200
    assert not views_of(story).exists()


def test_the_story_index_is_not_a_story_view(story, story_indexes):
    Client(**BROWSER_HEADERS).get(story_indexes["en"].url)

    assert not Event.objects.filter(kind=Event.Kind.STORY_VIEWED).exists()


def test_signing_up_records_a_sign_up_of_the_browser_that_read_the_story(story):
    browser = Client(**BROWSER_HEADERS)
    browser.get(story.url)

    browser.post(
        "/en/accounts/signup/",
        {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD, "referral_source": "friend"},
    )

    [sign_up] = Event.objects.filter(kind=Event.Kind.SIGNED_UP)
    assert sign_up.user.email == "ada@example.com"
    assert sign_up.visitor_id == views_of(story).get().visitor_id


def test_a_refused_sign_up_records_nothing(story):
    Client(**BROWSER_HEADERS).post(
        "/en/accounts/signup/", {"email": "ada@example.com", "password1": PASSWORD, "password2": "another one"}
    )

    assert not Event.objects.filter(kind=Event.Kind.SIGNED_UP).exists()


def test_a_sign_up_by_a_bot_is_not_recorded(story):
    Client(HTTP_USER_AGENT=CRAWLER).post(
        "/en/accounts/signup/", {"email": "bot@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert not Event.objects.filter(kind=Event.Kind.SIGNED_UP).exists()


def test_a_story_view_carries_no_data_and_an_undeclared_key_is_refused(story):
    with pytest.raises(ValueError):
        measuring.record_event(Event.Kind.STORY_VIEWED, article=story, data={"story": story.pk})
