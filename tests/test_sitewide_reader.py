"""The floor's "who is asking": one Reader per request, built by middleware, and what it holds."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from sitewide.ids import MAX_ID, parse_id
from sitewide.reader import Reader, reader_of
from sitewide.redirects import is_local_path
from sitewide.text import clean_line, clean_text
from sitewide.visitor import VISITOR_COOKIE
from tests.factories import BROWSER_HEADERS, UserFactory

CRAWLER = "Googlebot/2.1 (+http://www.google.com/bot.html)"


@pytest.mark.django_db
def test_every_request_has_a_reader_built_from_its_user_language_and_agent(client, rf):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/ru/search/", {"q": "x"}, **BROWSER_HEADERS)
    reader = response.wsgi_request.reader
    assert isinstance(reader, Reader)
    assert (reader.user, reader.language, reader.is_bot) == (user, "ru", False)
    assert reader.authenticated_user == user and reader.is_authenticated


@pytest.mark.django_db
def test_a_crawler_is_a_bot_reader_and_records_nothing(client):
    response = client.get("/en/search/", {"q": "printer"}, HTTP_USER_AGENT=CRAWLER)
    assert response.wsgi_request.reader.is_bot
    assert VISITOR_COOKIE not in response.cookies


@pytest.mark.django_db
def test_a_page_that_records_nothing_neither_builds_a_visitor_id_nor_sets_the_cookie():
    browser = Client(**BROWSER_HEADERS)
    response = browser.get("/en/")
    assert VISITOR_COOKIE not in response.cookies
    assert not response.wsgi_request.reader.visitor_id_was_used


@pytest.mark.django_db
def test_a_recording_view_sets_the_cookie_once_and_varies_on_it(help_centers):
    browser = Client(**BROWSER_HEADERS)
    first = browser.get("/en/search/", {"q": "printer"})
    assert first.cookies[VISITOR_COOKIE]["httponly"] and first.cookies[VISITOR_COOKIE]["samesite"] == "Lax"
    assert "Cookie" in first["Vary"]
    second = browser.get("/en/search/", {"q": "printer again"})
    assert VISITOR_COOKIE not in second.cookies
    assert second.wsgi_request.reader.visitor_id == first.cookies[VISITOR_COOKIE].value


@pytest.mark.django_db
def test_a_reader_outside_a_request_needs_no_fake_request():
    group = Group.objects.create(name="Council")
    member = UserFactory()
    member.groups.add(group)
    assert Reader.anonymous("fa").audiences == ["public"]
    assert Reader.anonymous("fa").language == "fa"
    assert Reader.anonymous("xx").language == "en", "an unknown language is the default one"
    assert Reader.for_user(member).audiences == ["public", "login", f"group:{group.pk}"]
    assert Reader.for_user(UserFactory(is_active=False)).audiences == ["public"]


@pytest.mark.django_db
def test_passed_page_passwords_are_read_from_the_session_as_it_is_now():
    session = {}
    reader = Reader(session=session)
    assert reader.audiences == ["public"]
    session[PageViewRestriction.passed_view_restrictions_session_key] = [7, "8"]
    assert reader.audiences == ["public", "password:7"]


def test_reader_of_builds_one_for_a_request_that_skipped_the_middleware(rf):
    request = rf.get("/en/", HTTP_USER_AGENT=CRAWLER)
    reader = reader_of(request)
    assert reader.is_bot and reader_of(request) is reader


def test_the_reader_holds_no_request():
    reader = Reader.anonymous()
    assert not any(hasattr(reader, name) for name in ("request", "META", "GET", "COOKIES"))


def test_a_new_visitor_id_is_random_and_kept():
    reader = Reader.anonymous()
    assert reader.visitor_id == "" and not reader.visitor_id_was_used
    made = reader.get_or_create_visitor_id()
    assert len(made) == 32 and reader.visitor_id_is_new and reader.get_or_create_visitor_id() == made


@pytest.mark.parametrize(
    "value, expected",
    [("12", 12), ("0", None), ("-1", None), ("", None), (None, None), ("١٢", None), ("1e3", None),
     (" 12", None), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 40, None), (7, 7)],
)  # fmt: skip
def test_ids_from_urls_are_plain_positive_integers_a_database_can_hold(value, expected):
    assert parse_id(value) == expected


def test_text_cleaning_removes_what_could_disguise_text():
    assert clean_text("a\u202eb\x07c\r\nd\u200ce") == "abc\nd\u200ce"
    assert clean_line("  Grinder\x00\n is\tloud \u2066 ") == "Grinder is loud"


@pytest.mark.parametrize(
    "url, local",
    [("/en/help/", True), ("//evil.example/", False), ("/\\evil.example", False), ("/\t/evil.example", False),
     ("https://evil.example/", False), ("javascript:alert(1)", False), ("", False)],
)  # fmt: skip
def test_only_paths_on_this_site_are_local(rf, url, local):
    assert is_local_path(rf.get("/"), url) is local


@pytest.mark.django_db
def test_the_search_click_redirect_uses_the_floors_check(client):
    response = client.get(reverse("kb:search_click"), {"to": "//evil.example/"}, **BROWSER_HEADERS)
    assert response.status_code == 400
