"""Every search and every result opened is recorded, anonymously, without ever breaking search."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import DatabaseError
from django.test import Client

from kb.models import SearchClick, SearchEvent
from sitewide.visitor import VISITOR_COOKIE
from tests.factories import BROWSER_USER_AGENT, make_article

pytestmark = pytest.mark.django_db

CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
READER_IP = "203.0.113.77"


@pytest.fixture
def visitor():
    """A browser (the test client keeps cookies between requests, like a browser)."""
    return Client(HTTP_USER_AGENT=BROWSER_USER_AGENT, REMOTE_ADDR=READER_IP)


@pytest.fixture
def articles(help_centers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return [
            make_article("Reset your password", body="Forgot your password? Reset it from the sign-in page."),
            make_article("Change your password", body="Choose a new password in your account settings."),
        ]


def result_links(response) -> list[str]:
    """The href of each result title on the search page."""
    return [unescape(href) for href in re.findall(r'<h2[^>]*><a href="([^"]+)"', response.content.decode())]


def test_a_search_records_one_event_with_its_language_and_result_count(visitor, articles):
    response = visitor.get("/en/search/", {"q": "  Password  "})

    assert response.status_code == 200
    event = SearchEvent.objects.get()
    assert (event.query, event.normalized_query, event.language) == ("Password", "password", "en")
    assert (event.source, event.result_count, event.fell_back, event.click_count) == ("page", 2, False, 0)


def test_a_recorded_search_keeps_no_ip_address_anywhere(visitor, articles):
    visitor.get("/en/search/", {"q": "password"})

    stored = json.dumps(list(SearchEvent.objects.values()), default=str)
    assert READER_IP not in stored
    assert SearchEvent.objects.get().visitor_id == visitor.cookies[VISITOR_COOKIE].value


def test_an_empty_query_records_nothing(visitor, help_centers):
    visitor.get("/en/search/", {"q": "   "})

    assert not SearchEvent.objects.exists()


def test_the_visitor_cookie_is_set_once_and_reused(visitor, articles):
    first = visitor.get("/en/search/", {"q": "password"})
    second = visitor.get("/en/search/", {"q": "sign in"})

    cookie = first.cookies[VISITOR_COOKIE]
    assert len(cookie.value) == 32
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert VISITOR_COOKIE not in second.cookies
    assert set(SearchEvent.objects.values_list("visitor_id", flat=True)) == {cookie.value}


def test_pages_that_record_nothing_set_no_visitor_cookie(visitor, help_centers):
    response = visitor.get("/en/search/")

    assert VISITOR_COOKIE not in response.cookies


def test_a_forged_visitor_cookie_is_replaced_by_a_random_id(visitor, articles):
    visitor.cookies[VISITOR_COOKIE] = "203.0.113.77"

    response = visitor.get("/en/search/", {"q": "password"})

    assert response.cookies[VISITOR_COOKIE].value == SearchEvent.objects.get().visitor_id != "203.0.113.77"


def test_bots_are_not_recorded(articles):
    Client(HTTP_USER_AGENT=CRAWLER).get("/en/search/", {"q": "password"})
    Client().get("/api/suggest/", {"q": "password", "lang": "en"})

    assert not SearchEvent.objects.exists()


def test_paging_through_results_continues_the_same_search(visitor, articles):
    visitor.get("/en/search/", {"q": "password"})
    visitor.get("/en/search/", {"q": "password", "page": 2})
    visitor.get("/en/search/", {"q": "PASSWORD", "category": "getting-started"})

    assert SearchEvent.objects.count() == 1


def test_a_suggestion_request_records_a_suggest_event_and_returns_its_id(visitor, articles):
    response = visitor.get("/api/suggest/", {"q": "Password", "lang": "en"})

    payload = response.json()
    event = SearchEvent.objects.get()
    assert payload["event"] == event.pk
    assert {"title", "url", "snippet", "type"} <= set(payload["results"][0])
    assert (event.source, event.language, event.query, event.result_count) == ("suggest", "en", "Password", 2)


def test_clicking_a_result_records_the_click_and_redirects_to_the_article(visitor, articles):
    links = result_links(visitor.get("/en/search/", {"q": "password"}))
    click = urlsplit(links[1])
    target = parse_qs(click.query)["to"][0]

    response = visitor.get(links[1])

    assert click.path == "/en/search/click/"
    assert response.status_code == 302 and response["Location"] == target
    event = SearchEvent.objects.get()
    assert event.click_count == 1
    assert list(SearchClick.objects.values_list("event", "rank", "url")) == [(event.pk, 2, target)]


def test_a_chosen_suggestion_is_recorded_like_a_result_click(visitor, articles):
    payload = visitor.get("/api/suggest/", {"q": "password", "lang": "en"}).json()
    url = payload["results"][0]["url"]

    response = visitor.get("/en/search/click/", {"e": payload["event"], "r": 1, "to": url})

    assert response.status_code == 302
    assert SearchClick.objects.get().event_id == payload["event"]


@pytest.mark.parametrize(
    "target",
    ["http://evil.example/", "//evil.example", "javascript:alert(1)", "/\\evil.example", "/\t/evil.example", ""],
)
def test_a_click_to_another_site_is_refused_and_records_nothing(visitor, articles, target):
    visitor.get("/en/search/", {"q": "password"})
    event = SearchEvent.objects.get()

    response = visitor.get("/en/search/click/", {"e": event.pk, "r": 1, "to": target})

    assert response.status_code == 400
    assert b"only lead to a page on this help center" in response.content
    assert not SearchClick.objects.exists()
    event.refresh_from_db()
    assert event.click_count == 0


@pytest.mark.parametrize("event_id", ["999999", "abc", "", "-1", "1" * 40])
def test_a_click_with_a_bad_event_still_leads_to_the_page_but_records_nothing(visitor, help_centers, event_id):
    response = visitor.get("/en/search/click/", {"e": event_id, "r": 1, "to": "/en/"})

    assert response.status_code == 302 and response["Location"] == "/en/"
    assert not SearchClick.objects.exists()


def test_a_result_link_shared_with_someone_else_does_not_count_as_their_click(visitor, articles):
    links = result_links(visitor.get("/en/search/", {"q": "password"}))

    response = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT).get(links[0])

    assert response.status_code == 302
    assert not SearchClick.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["pass\x00word", "x" * 10_000, "'; DROP TABLE kb_searchevent; --", '" OR 1=1 /*', "<script>alert(1)</script>"],
)
def test_hostile_queries_are_recorded_safely_and_never_fail(visitor, help_centers, query):
    page = visitor.get("/en/search/", {"q": query})
    suggestions = visitor.get("/api/suggest/", {"q": query, "lang": "en"})

    assert page.status_code == 200 and suggestions.status_code == 200
    stored = list(SearchEvent.objects.values_list("query", flat=True))
    assert len(stored) == 2
    assert all("\x00" not in text and 0 < len(text) <= 300 for text in stored)


def test_search_still_works_when_recording_fails(visitor, articles, monkeypatch):
    def broken_create(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SearchEvent.objects, "create", broken_create)

    page = visitor.get("/en/search/", {"q": "password"})
    suggestions = visitor.get("/api/suggest/", {"q": "password", "lang": "en"})

    assert page.status_code == 200 and result_links(page)[0].startswith("/en/")
    assert suggestions.status_code == 200 and suggestions.json()["event"] is None
