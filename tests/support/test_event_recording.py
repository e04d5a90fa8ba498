"""The support event log: what record_event writes, and what it refuses to write."""

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory

from sitewide.reader import Reader, reader_of
from sitewide.visitor import VISITOR_COOKIE
from support.events import record_event
from support.models import Event
from tests.factories import BROWSER_HEADERS, BROWSER_USER_AGENT, UserFactory, make_article

CRAWLER = "Googlebot/2.1 (+http://www.google.com/bot.html)"


@pytest.fixture
def article(help_centers):
    return make_article("Connect to a wireless network")


def reader_request(path="/en/", user_agent=BROWSER_USER_AGENT, user=None):
    request = RequestFactory().get(path, HTTP_USER_AGENT=user_agent)
    request.LANGUAGE_CODE = "en"
    if user is not None:
        request.user = user
    return request


@pytest.mark.django_db
def test_an_event_takes_the_visitor_and_language_from_the_request(article):
    request = reader_request()
    request.COOKIES[VISITOR_COOKIE] = "a" * 32

    event = record_event(
        Event.Kind.SUGGESTION_OPENED, reader=reader_of(request), flow="contact", article=article, rank=2
    )

    event.refresh_from_db()
    assert (event.visitor_id, event.language, event.flow, event.article_id, event.rank) == (
        "a" * 32,
        "en",
        "contact",
        article.pk,
        2,
    )


@pytest.mark.django_db
def test_an_event_of_a_logged_in_reader_names_the_user():
    user = UserFactory()

    event = record_event(Event.Kind.CONTACT_STARTED, reader=reader_of(reader_request(user=user)), visit_id="v" * 32)

    assert event.user == user and event.visit_id == "v" * 32


@pytest.mark.django_db
def test_a_bot_records_no_event():
    assert record_event(Event.Kind.CONTACT_STARTED, reader=reader_of(reader_request(user_agent=CRAWLER))) is None
    assert record_event(Event.Kind.CONTACT_STARTED, reader=reader_of(reader_request(user_agent=""))) is None

    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_database_error_is_logged_and_not_raised_into_the_caller(monkeypatch, caplog):
    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Event.objects, "create", broken_create)

    assert record_event(Event.Kind.TICKET_RESOLVED, visitor_id="b" * 32) is None
    assert "Could not record a support event" in caplog.text


@pytest.mark.django_db
def test_overlong_and_untrusted_values_are_bounded():
    event = record_event(
        Event.Kind.SUGGESTIONS_SHOWN,
        query="wifi " * 100,
        rank=10**6,
        flow="elsewhere",
        language="xx",
        visit_id="z" * 99,
    )

    assert len(event.query) <= 200 and event.rank is None and event.flow == "" and event.language == ""
    assert len(event.visit_id) == 32


@pytest.mark.django_db
def test_reading_an_article_records_an_article_viewed_event_for_the_visitor(article):
    reader = Client(**BROWSER_HEADERS)

    response = reader.get(article.url)

    event = Event.objects.get(kind=Event.Kind.ARTICLE_VIEWED)
    assert event.article_id == article.pk
    assert event.visitor_id == response.cookies[VISITOR_COOKIE].value
    assert event.language == "en"


@pytest.mark.django_db
def test_a_bot_reading_an_article_records_no_event(article):
    Client(HTTP_USER_AGENT=CRAWLER).get(article.url)
    Client().get(article.url)

    assert not Event.objects.filter(kind=Event.Kind.ARTICLE_VIEWED).exists()


@pytest.mark.django_db
def test_an_article_read_from_the_contact_suggestions_is_read_within_that_visit(article):
    Client(**BROWSER_HEADERS).get(article.url, {"from_contact": "e" * 32})

    event = Event.objects.get(kind=Event.Kind.ARTICLE_VIEWED)
    assert (event.flow, event.visit_id) == ("contact", "e" * 32)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, data",
    [
        (Event.Kind.VOTED, {"helpful": "yes"}),
        (Event.Kind.VOTED, {"helpfull": True}),
        (Event.Kind.SUGGESTIONS_SHOWN, {"article_ids": [1, 2]}),
        (Event.Kind.SUGGESTIONS_SHOWN, {"results": [{"kind": "forum.topic", "id": "7", "title": "x"}]}),
        (Event.Kind.SUGGESTIONS_SHOWN, {"results": {"kind": "forum.topic", "id": 7}}),
        (Event.Kind.SUGGESTION_OPENED, {"result": "forum.topic:7"}),
        (Event.Kind.SUGGESTION_OPENED, {"result": {"kind": "forum.topic", "id": True}}),
        (Event.Kind.CONTACT_STARTED, {"anything": 1}),
    ],
)
def test_data_of_an_undeclared_shape_is_refused_and_nothing_is_written(kind, data):
    with pytest.raises(ValueError):
        record_event(kind, reader=Reader.anonymous("en"), data=data)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_data_of_the_declared_shape_is_stored():
    result = {"kind": "forum.topic", "id": 7, "title": "Grinder noise"}
    event = record_event(Event.Kind.SUGGESTIONS_SHOWN, reader=Reader.anonymous("en"), data={"results": [result]})
    event.refresh_from_db()
    assert event.data == {"results": [result]}
