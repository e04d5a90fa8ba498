"""Articles suggested beside the contact form, and the record of each shown, opened and solved."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from support.models import Event, Ticket
from tests.factories import BROWSER_HEADERS, UserFactory
from tests.search_helpers import publish_article
from tests.support.helpers import CRAWLER, INLINE, a_reader

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/en/support/contact/suggestions/"


@pytest.fixture
def wifi_article(help_centers, django_capture_on_commit_callbacks):
    return publish_article(django_capture_on_commit_callbacks, "Fix a dropping wireless connection")


def start_visit(client) -> str:
    return client.get("/en/support/contact/").context["visit_id"]


def suggestions_for(client, visit, subject, **extra):
    return client.get(SUGGESTIONS, {"visit": visit, "subject": subject}, **INLINE, **extra)


def test_matching_articles_appear_for_what_the_customer_types(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    response = suggestions_for(reader, visit, "my wireless keeps dropping")

    html = response.content.decode()
    assert response.status_code == 200 and "Fix a dropping wireless connection" in html
    assert f"/en/support/articles/{wifi_article.pk}/open/?visit={visit}" in html
    assert "<html" not in html


def test_each_list_shown_is_recorded_with_the_visit_the_query_and_the_articles(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    suggestions_for(reader, visit, "wireless dropping")

    shown = Event.objects.get(kind=Event.Kind.SUGGESTIONS_SHOWN)
    assert (shown.visit_id, shown.flow, shown.query, shown.language) == (visit, "contact", "wireless dropping", "en")
    assert shown.data == {"results": [{"kind": "kb.articlepage", "id": wifi_article.pk, "title": wifi_article.title}]}


def test_nothing_is_recorded_when_nothing_matches_or_too_little_was_typed(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    nothing = suggestions_for(reader, visit, "zzyzx quasar")
    too_short = suggestions_for(reader, visit, "wi")

    assert "No matching articles yet" in nothing.content.decode()
    assert "wireless" not in too_short.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.SUGGESTIONS_SHOWN).exists()


def test_an_article_under_a_privacy_restriction_is_never_suggested_to_an_anonymous_customer(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Internal wireless escalation procedure")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    anonymous = a_reader()
    member = Client(**BROWSER_HEADERS)
    member.force_login(UserFactory())

    hidden = suggestions_for(anonymous, start_visit(anonymous), "wireless escalation")
    shown = suggestions_for(member, start_visit(member), "wireless escalation")

    assert "Internal wireless escalation procedure" not in hidden.content.decode()
    assert "Internal wireless escalation procedure" in shown.content.decode()
    assert a_reader().get(f"/en/support/articles/{article.pk}/open/?visit={'a' * 32}&flow=contact").status_code == 404


def test_suggestions_without_a_valid_visit_record_nothing(wifi_article):
    response = a_reader().get(SUGGESTIONS, {"visit": "not-a-visit", "subject": "wireless dropping"})

    assert response.status_code == 200
    assert not Event.objects.filter(kind=Event.Kind.SUGGESTIONS_SHOWN).exists()


def test_bots_see_suggestions_but_are_not_recorded(wifi_article):
    bot = Client(HTTP_USER_AGENT=CRAWLER)

    bot.get(SUGGESTIONS, {"visit": "b" * 32, "subject": "wireless dropping"})

    assert not Event.objects.exists()


def test_opening_a_suggestion_is_recorded_and_leads_to_the_article_marked_as_from_contact(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    response = reader.get(
        f"/en/support/articles/{wifi_article.pk}/open/", {"visit": visit, "rank": 1, "flow": "contact", "q": "wireless"}
    )

    assert response.status_code == 302 and response["Location"] == f"{wifi_article.url}?from_contact={visit}"
    opened = Event.objects.get(kind=Event.Kind.SUGGESTION_OPENED)
    assert (opened.article_id, opened.visit_id, opened.rank, opened.query, opened.flow) == (
        wifi_article.pk,
        visit,
        1,
        "wireless",
        "contact",
    )


@pytest.mark.parametrize(
    "params",
    [
        {"visit": "a" * 32, "flow": "contact", "next": "https://evil.example/"},
        {"visit": "//evil.example", "flow": "contact"},
        {"visit": "a" * 32, "flow": "javascript:alert(1)", "rank": "x"},
    ],
)
def test_the_open_link_only_ever_leads_to_the_article_itself(wifi_article, params):
    response = a_reader().get(f"/en/support/articles/{wifi_article.pk}/open/", params)

    assert response.status_code == 302 and response["Location"].startswith(wifi_article.url)
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_an_article_opened_from_the_contact_form_offers_this_solved_my_problem(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    html = reader.get(f"{wifi_article.url}?from_contact={visit}").content.decode()

    assert "This solved my problem" in html and f'value="{visit}"' in html
    assert "This solved my problem" not in reader.get(wifi_article.url).content.decode()


def test_this_solved_my_problem_is_recorded_once_for_the_visit(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)
    solved = f"/en/support/articles/{wifi_article.pk}/solved/"

    plain = reader.post(solved, {"from_contact": visit})
    inline = reader.post(solved, {"from_contact": visit}, **INLINE)

    assert plain.status_code == 302 and plain["Location"] == wifi_article.url + "#article-vote"
    assert "Glad it's solved!" in inline.content.decode()
    confirmed = Event.objects.get(kind=Event.Kind.SOLVED_CONFIRMED)
    assert (confirmed.visit_id, confirmed.article_id, confirmed.flow) == (visit, wifi_article.pk, "contact")


def test_someone_elses_visit_id_confirms_nothing(wifi_article):
    customer, stranger = a_reader(), a_reader()
    visit = start_visit(customer)
    stranger.get("/en/")

    stranger.post(f"/en/support/articles/{wifi_article.pk}/solved/", {"from_contact": visit})

    assert not Event.objects.filter(kind=Event.Kind.SOLVED_CONFIRMED).exists()


def test_the_suggestions_endpoint_runs_a_bounded_number_of_queries(wifi_article, django_assert_max_num_queries):
    reader = a_reader()
    visit = start_visit(reader)
    suggestions_for(reader, visit, "wireless dropping")

    with django_assert_max_num_queries(8):
        suggestions_for(reader, visit, "wireless connection dropping")


def test_without_javascript_find_articles_first_shows_suggestions_and_opens_no_ticket(wifi_article):
    reader = a_reader()
    visit = start_visit(reader)

    response = reader.post(
        "/en/support/contact/",
        {"subject": "wireless dropping", "description": "", "email": "", "visit": visit, "find_articles": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200 and "Fix a dropping wireless connection" in html
    assert 'value="wireless dropping"' in html, "what the customer typed is kept"
    assert not Ticket.objects.exists()
    assert Event.objects.get(kind=Event.Kind.SUGGESTIONS_SHOWN).visit_id == visit
