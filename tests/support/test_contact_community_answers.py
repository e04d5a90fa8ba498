"""Community answers (forum topics) suggested beside the contact form, opened through a recorded
redirect, and never shown to someone who cannot open them."""

import pytest

from forum import services
from support.models import Event
from tests.factories.forum import make_category, make_group, make_member
from tests.search_helpers import publish_article
from tests.support.helpers import INLINE, a_reader

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/en/support/contact/suggestions/"
OPEN = "/en/support/answers/open/"


@pytest.fixture
def ask(help_centers, django_capture_on_commit_callbacks):
    def ask(title, *, category=None, author=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.create_topic(
                author or make_member(), category=category or make_category(), title=title, body="It hums loudly."
            )

    return ask


def suggestions_for(client, subject):
    visit = client.get("/en/support/contact/").context["visit_id"]
    return visit, client.get(SUGGESTIONS, {"visit": visit, "subject": subject}, **INLINE).content.decode()


def test_a_community_answer_is_suggested_and_opening_it_is_recorded(ask):
    topic = ask("Grinder motor hums after descaling")
    reader = a_reader()

    visit, html = suggestions_for(reader, "grinder motor hums")

    assert "Grinder motor hums after descaling" in html and "Community" in html
    assert f"{OPEN}?visit={visit}" in html and f"id={topic.pk}" in html
    shown = Event.objects.get(kind=Event.Kind.SUGGESTIONS_SHOWN)
    assert shown.data == {"results": [{"kind": "forum.topic", "id": topic.pk, "title": topic.title}]}

    response = reader.get(OPEN, {"kind": "forum.topic", "id": topic.pk, "visit": visit, "flow": "contact", "rank": 1})

    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    opened = Event.objects.get(kind=Event.Kind.SUGGESTION_OPENED)
    result = {"kind": "forum.topic", "id": topic.pk, "title": topic.title}
    assert (opened.visit_id, opened.rank, opened.data) == (visit, 1, {"result": result})


def test_a_topic_in_a_restricted_category_is_never_suggested_or_opened_for_outsiders(ask):
    insiders = make_group("Insiders")
    topic = ask("Grinder motor roadmap", category=make_category(restricted_to=[insiders]), author=make_member(insiders))
    reader = a_reader()

    _visit, html = suggestions_for(reader, "grinder motor roadmap")

    assert "Grinder motor roadmap" not in html
    assert reader.get(OPEN, {"kind": "forum.topic", "id": topic.pk}).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.SUGGESTION_OPENED).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "auth.user", "id": "1"},
        {"kind": "kb.articlepage", "id": "999999"},
        {"kind": "forum.topic", "id": "-1"},
        {"kind": "forum.topic", "id": "99999999999999999999999"},
        {"kind": "forum.topic", "id": "1 OR 1=1"},
        {"kind": "forum.topic\x00", "id": "1"},
        {},
    ],
)
def test_hostile_values_never_redirect_anywhere(ask, params):
    ask("Grinder motor hums")

    assert a_reader().get(OPEN, params).status_code == 404


def test_an_article_named_as_a_result_still_leads_only_to_its_own_page(
    help_centers, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks, "Descaling a grinder")

    response = a_reader().get(OPEN, {"kind": "kb.articlepage", "id": article.pk})

    assert response.status_code == 302 and response["Location"] == article.url
