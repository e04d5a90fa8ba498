"""Cheap forum writes are rate-limited per client, like search and the preview: once a client has
saved settings.RATE_LIMITS' number of edits, posts or votes in the window, the next answers 429
with a message and Retry-After and changes nothing. Showing a form is not counted."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Post
from tests.factories.forum import make_category, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_of_each(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "forum_edit": (2, 600),
        "forum_post": (2, 600),
        "forum_vote": (2, 60),
    }


def test_saving_a_third_edit_answers_429_and_keeps_the_text(client, two_of_each):
    member = make_member()
    post = services.reply(member, make_topic(), "First version")
    client.force_login(member)
    url = reverse("forum:edit_post", args=[post.pk])
    opened = [client.get(url).status_code for _n in range(3)]

    saved = [client.post(url, {"body": f"Version {n}"}) for n in (1, 2, 3)]

    assert opened == [200, 200, 200]
    assert [response.status_code for response in saved] == [302, 302, 429]
    assert "Too many requests" in saved[2].content.decode() and int(saved[2]["Retry-After"]) > 0
    post.refresh_from_db()
    assert post.body_markdown == "Version 2" and post.revisions.count() == 3
    assert client.get(url).status_code == 200


def test_new_topics_and_replies_share_one_limit_even_for_moderators(client, two_of_each):
    moderator = make_moderator()
    category, topic = make_category(), make_topic()
    client.force_login(moderator)
    new_topic = {"category": category.pk, "title": "Descaling the tank", "body": "How often?", "is_question": "on"}

    answers = [
        client.post(reverse("forum:new_topic"), new_topic).status_code,
        client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Weekly."}).status_code,
        client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Or monthly."}).status_code,
        client.post(reverse("forum:new_topic"), {**new_topic, "title": "Another question"}).status_code,
    ]

    assert answers == [302, 302, 429, 429]
    assert Post.objects.filter(author=moderator).count() == 2
    assert client.get(reverse("forum:new_topic")).status_code == 200


def test_a_third_vote_from_the_page_script_answers_429_in_json(client, two_of_each):
    post = make_topic(posts=2).posts.get(position=2)
    client.force_login(make_member())
    url = reverse("forum:vote", args=[post.pk])

    answers = [
        client.post(url, {"action": action}, HTTP_ACCEPT="application/json") for action in ("vote", "unvote", "vote")
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Too many requests" in answers[2].json()["error"]
    post.refresh_from_db()
    assert post.score == 0


def test_accepting_and_clearing_an_answer_count_as_votes(client, two_of_each):
    asker = make_member()
    topic = make_topic(author=asker, is_question=True)
    answer = services.reply(make_member(), topic, "Use citric acid.")
    client.force_login(asker)

    answers = [
        client.post(reverse("forum:accept", args=[answer.pk])).status_code,
        client.post(reverse("forum:clear_answer", args=[topic.pk])).status_code,
        client.post(reverse("forum:accept", args=[answer.pk])).status_code,
    ]

    assert answers == [302, 302, 429]
    topic.refresh_from_db()
    assert topic.accepted_answer is None
