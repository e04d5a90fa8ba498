"""What a live topic page fetches after an event: one post's HTML, re-checked for the reader."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Post, Topic
from tests.factories.forum import make_category, make_group, make_member, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(asker):
    return services.create_topic(asker, category=make_category("Coffee"), title="Descaling", body="How often?")


@pytest.fixture
def answer(topic):
    return services.reply(make_member(display_name="Hugo Helper"), topic, "Citric acid, every two months.")


def fragment(client, post, **params):
    return client.get(reverse("forum:post_fragment", args=[post.topic_id, post.pk]), params)


def test_a_visible_post_comes_as_the_article_the_topic_page_shows(client, answer):
    response = fragment(client, answer)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<article class="post') and 'id="post-2"' in html
    assert "Hugo Helper" in html and "Citric acid, every two months." in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_asker_gets_the_accept_button_and_others_do_not(client, answer, asker):
    assert "Accept this answer" not in fragment(client, answer).content.decode()
    client.force_login(asker)
    assert "Accept this answer" in fragment(client, answer).content.decode()


def test_a_hidden_post_is_a_404_for_members_and_shown_to_moderators(client, answer):
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    client.force_login(make_member())
    assert fragment(client, answer).status_code == 404
    client.force_login(make_moderator())
    assert fragment(client, answer).status_code == 200


def test_a_deleted_post_is_a_404(client, answer):
    services.delete_post(answer.author, answer)
    assert fragment(client, answer).status_code == 404


def test_a_post_of_a_topic_the_reader_cannot_see_is_a_404(client, answer, topic):
    insiders = make_group("Insiders")
    topic.category.restricted_to.set([insiders])
    client.force_login(make_member())
    assert fragment(client, answer).status_code == 404
    client.force_login(make_member(insiders))
    assert fragment(client, answer).status_code == 200


def test_a_post_asked_for_under_another_topic_is_a_404(client, answer):
    other = make_topic_for(answer)
    response = client.get(reverse("forum:post_fragment", args=[other.pk, answer.pk]))
    assert response.status_code == 404


def make_topic_for(post):
    return services.create_topic(make_member(), category=post.topic.category, title="Another topic", body="Hello")


def test_the_accepted_answer_box_only_for_the_accepted_answer(client, answer, asker, topic):
    assert fragment(client, answer, section="accepted").status_code == 404
    services.accept_answer(asker, answer)

    html = fragment(client, answer, section="accepted").content.decode()

    assert html.lstrip().startswith('<section class="accepted-answer"')
    assert 'id="accepted-2"' in html and "Accepted answer" in html


def test_a_topic_page_carries_what_the_live_script_needs(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()

    assert f'data-socket-path="/ws/forum/topics/{topic.pk}/"' in html
    assert f'data-fragment-url="/en/forum/t/{topic.pk}/posts/0/fragment/"' in html
    assert 'data-page-number="1"' in html and 'data-last-position="1"' in html
    assert 'aria-live="polite"' in html and "js/forum-live.js" in html


def test_a_hidden_topic_is_a_404_for_members(client, answer, topic):
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    client.force_login(make_member())
    assert fragment(client, answer).status_code == 404
