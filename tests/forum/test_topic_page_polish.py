"""Topic page polish: the accepted answer's text once per page, scores with their unit, the reply
count a live page fetches again, and the moderators' link to the review queue in the header."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from forum import services
from forum.models import Flag, Post
from forum.permissions import is_moderator
from forum.services import moderation
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db

ANSWER = "Citric acid, every two months."


@pytest.fixture
def reader():
    return Client(**BROWSER_HEADERS)


@pytest.fixture
def topic(asker):
    return services.create_topic(asker, category=make_category("Coffee"), title="Descaling", body="How often?")


@pytest.fixture
def answer(topic, asker):
    post = services.reply(make_member(display_name="Hugo Helper"), topic, ANSWER)
    services.accept_answer(asker, post)
    return post


def page(client, topic, number=1):
    return client.get(topic.get_absolute_url(), {"page": number} if number > 1 else {}).content.decode()


# --- The accepted answer ------------------------------------------------------------------------


def test_the_accepted_answer_text_is_on_the_first_page_once(reader, topic, answer):
    html = page(reader, topic)

    assert html.count(ANSWER) == 1
    assert html.index('id="post-1"') < html.index('id="accepted-2"') < html.index('id="post-2"')


def test_in_the_conversation_a_pointer_leads_up_to_the_accepted_answer(reader, topic, answer):
    html = page(reader, topic)

    pointer = html[html.index('id="post-2"') :]
    assert "data-accepted-pointer" in html
    assert '<a href="#accepted-2">Accepted answer, shown above</a>' in pointer
    assert "Hugo Helper" in pointer  # who wrote it, in its place in the conversation


def test_on_a_later_page_the_accepted_answer_is_shown_in_its_place_only(reader):
    topic = make_topic(posts=45)
    accepted = topic.posts.get(position=43)
    services.accept_answer(topic.author, accepted)

    first, third = page(reader, topic), page(reader, topic, 3)

    assert 'id="accepted-43"' in first and 'id="post-43"' not in first
    assert third.count("Some text. (43)") == 1
    assert 'id="post-43"' in third and 'id="accepted-43"' not in third and "data-accepted-pointer" not in third


def test_the_pointer_fragment_is_only_for_the_accepted_answer(reader, topic, answer):
    other = services.reply(make_member(), topic, "Vinegar works too.")

    def pointer(post):
        return reader.get(reverse("forum:post_fragment", args=[topic.pk, post.pk]), {"section": "pointer"})

    assert pointer(answer).status_code == 200
    assert 'href="#accepted-2"' in pointer(answer).content.decode()
    assert pointer(other).status_code == 404


# --- Scores -------------------------------------------------------------------------------------


def test_an_anonymous_reader_sees_what_the_score_counts(reader, topic, answer):
    services.vote(make_member(), answer)

    html = page(reader, topic)

    assert "<bdi data-score>1</bdi> <span data-score-unit>vote</span>" in html  # the answer
    assert "<bdi data-score>0</bdi> <span data-score-unit>votes</span>" in html  # the question
    assert "Upvote" not in html


@pytest.mark.parametrize("lang", ["en", "ru", "fa", "he"])
def test_the_score_unit_is_chosen_by_the_plural_of_the_page_language(reader, topic, answer, lang):
    for _ in range(5):
        services.vote(make_member(), answer)
    url = reverse("forum:post_fragment", args=[topic.pk, answer.pk]).replace("/en/", f"/{lang}/", 1)

    html = reader.get(url, {"section": "score"}).content.decode()

    with translation.override(lang):
        unit = translation.npgettext("forum score", "vote", "votes", 5)
        digits = "۵" if lang == "fa" else "5"
    assert html.startswith('<span class="score"') and "data-score-box" in html
    assert f"<bdi data-score>{digits}</bdi> <span data-score-unit>{unit}</span>" in html


def test_a_vote_answers_with_the_unit_for_its_new_score(client, topic, answer):
    client.force_login(make_member())

    response = client.post(reverse("forum:vote", args=[answer.pk]), {"action": "vote"}, HTTP_ACCEPT="application/json")

    assert response.json() == {"score": 1, "unit": "vote", "voted": True}


# --- The reply count ----------------------------------------------------------------------------


def test_the_reply_count_is_fetched_as_the_header_shows_it(reader, topic, answer):
    url = reverse("forum:reply_count", args=[topic.pk])
    assert reader.get(url).content.decode().strip() == "<bdi data-reply-count>1 reply</bdi>"
    assert "<bdi data-reply-count>1 reply</bdi>" in page(reader, topic)

    services.reply(make_member(), topic, "Another way.")

    response = reader.get(url)
    assert response.content.decode().strip() == "<bdi data-reply-count>2 replies</bdi>"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_reply_count_of_a_topic_the_reader_cannot_see_is_a_404(client):
    topic = make_topic(category=make_category("Council", restricted_to=[make_group("Insiders")]), posts=3)
    client.force_login(make_member())

    assert client.get(reverse("forum:reply_count", args=[topic.pk])).status_code == 404
    assert client.get(reverse("forum:reply_count", args=[2**63])).status_code == 404


# --- The moderators' link in the header ---------------------------------------------------------


def header(client):
    html = client.get(reverse("forum:index")).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


@pytest.fixture
def waiting(settings, topic):
    """One held reply and one flagged post in a public category."""
    settings.FORUM_HOLD_FIRST_POSTS = 1
    services.reply(make_member(), topic, "A first post, held.")
    moderation.flag_post(make_member(), topic.posts.get(position=1), Flag.Reason.SPAM)


def test_a_moderator_sees_the_queue_and_how_many_posts_wait(client, waiting):
    client.force_login(make_moderator())

    html = header(client)

    assert f'href="{reverse("forum:moderation_queue")}"' in html
    assert 'aria-label="Moderation queue: 2 posts waiting"' in html
    assert '<span class="header-count" data-pending-count>2</span>' in html


def test_with_nothing_waiting_the_link_shows_no_number(client, topic):
    client.force_login(make_moderator())

    html = header(client)

    assert 'aria-label="Moderation queue"' in html and "data-pending-count" not in html


def test_members_and_anonymous_readers_get_no_queue_link(client, waiting):
    assert "data-moderation-queue" not in header(client)
    client.force_login(make_member())
    assert "data-moderation-queue" not in header(client)


def test_the_council_posts_count_only_for_a_moderator_in_the_council(settings):
    settings.FORUM_HOLD_FIRST_POSTS = 1
    council = make_group("Council members")
    topic = make_topic(category=make_category("Council", restricted_to=[council]), posts=2)
    services.reply(make_member(council), topic, "A council secret, held.")
    moderation.flag_post(make_member(council), topic.posts.get(position=1), Flag.Reason.SPAM)

    assert moderation.pending_count(make_moderator()) == 0
    assert moderation.pending_count(make_member(council, make_group("Community moderators"))) == 2


def test_resolved_flags_and_deleted_posts_do_not_count(waiting, topic):
    moderator = make_moderator()
    assert moderation.pending_count(moderator) == 2

    moderation.dismiss_flags(moderator, topic.posts.get(position=1))
    moderation.reject_post(moderator, Post.objects.get(topic=topic, is_approved=False), "Spam")

    assert moderation.pending_count(moderator) == 0


def render_link(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load forum_moderation %}{% moderation_queue_link %}").render(Context({"request": request}))


def test_the_link_costs_one_count_for_a_moderator_and_nothing_for_anyone_else():
    member, moderator = make_member(), make_moderator()
    is_moderator(member), is_moderator(moderator)  # asked once a request already, by the bell

    for user, queries in ((AnonymousUser(), 0), (member, 0), (moderator, 1)):
        with CaptureQueriesContext(connection) as captured:
            render_link(user)
        assert len(captured) == queries, (user, [query["sql"] for query in captured])
