"""The forum's pages: who sees what, keyset pages of a topic, the accepted answer on top,
unread markers, views, and queries that do not grow with a topic's size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Post, Topic
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


def positions(response) -> list[int]:
    return [view.position for view in response.context["posts"]]


@pytest.fixture
def insiders():
    return make_group("Insiders")


def test_the_index_lists_only_categories_the_reader_may_see(client, insiders):
    make_category("Coffee", description="Brewing and beans")
    make_category("Backstage", restricted_to=[insiders])
    page = client.get(reverse("forum:index")).content.decode()
    assert "Coffee" in page and "Brewing and beans" in page and "Backstage" not in page
    client.force_login(make_member(insiders))
    assert "Backstage" in client.get(reverse("forum:index")).content.decode()


def test_the_index_counts_topics_and_posts(client):
    category = make_category("Coffee")
    make_topic(category=category, posts=3)
    make_topic(category=category, posts=2)
    make_topic(category=category, posts=4, is_hidden=True)
    listed = client.get(reverse("forum:index")).context["categories"][0]
    assert (listed.topic_count, listed.post_total) == (2, 5)


def test_a_restricted_category_and_its_topics_are_not_found_by_outsiders(client, insiders):
    category = make_category("Council", restricted_to=[insiders])
    topic = make_topic("Roadmap secrets", category=category)
    for url in (category.get_absolute_url(), topic.get_absolute_url()):
        assert client.get(url).status_code == 404
    client.force_login(make_member())
    for url in (category.get_absolute_url(), topic.get_absolute_url()):
        assert client.get(url).status_code == 404
    client.force_login(make_member(insiders))
    for url in (category.get_absolute_url(), topic.get_absolute_url()):
        assert client.get(url).status_code == 200


def test_a_hidden_topic_is_missing_from_its_category_for_members_but_not_for_moderators(client):
    category = make_category()
    make_topic("Visible topic", category=category)
    make_topic("Spam topic", category=category, is_hidden=True)
    assert "Spam topic" not in client.get(category.get_absolute_url()).content.decode()
    client.force_login(make_moderator())
    assert "Spam topic" in client.get(category.get_absolute_url()).content.decode()


def test_pinned_topics_come_first(client):
    category = make_category()
    make_topic("Pinned rules", category=category, is_pinned=True)
    make_topic("Newer question", category=category)
    titles = [topic.title for topic in client.get(category.get_absolute_url()).context["topics"]]
    assert titles == ["Pinned rules", "Newer question"]


def test_page_200_of_a_5000_post_topic_shows_positions_3981_to_4000(client):
    topic = make_topic(posts=5000)
    response = client.get(topic.get_absolute_url() + "?page=200")
    assert positions(response) == list(range(3981, 4001))
    assert client.get(topic.get_absolute_url() + "?page=250").status_code == 200
    assert positions(client.get(topic.get_absolute_url() + "?page=250")) == list(range(4981, 5001))


@pytest.mark.parametrize("page", ["0", "251", "-1", "abc", "9" * 30, "1e3"])
def test_a_page_out_of_range_or_nonsense_is_not_found(client, page):
    topic = make_topic(posts=5000)
    assert client.get(topic.get_absolute_url(), {"page": page}).status_code == 404


def test_the_topic_page_runs_the_same_queries_for_20_and_5000_posts(client):
    reader = make_member()
    client.force_login(reader)
    small, big = make_topic(posts=20), make_topic(posts=5000)
    for topic in (small, big):
        client.get(topic.get_absolute_url())  # first visit: creates the read state
    counts = []
    for topic, page in ((small, 1), (big, 1), (big, 200)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(topic.get_absolute_url(), {"page": page}, **BROWSER_HEADERS)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    # 11, plus the notification bell's unread count, the Watch button's state, the reader's
    # suspension (which replaces the reply box with its reason) and the reader's groups (the
    # council's access check, customer_council.access.CouncilAccessMiddleware).
    assert counts[0] <= 15


def test_an_anonymous_reader_runs_few_queries_whatever_the_size(client, django_assert_max_num_queries):
    topic = make_topic(posts=5000)
    with django_assert_max_num_queries(6):
        client.get(topic.get_absolute_url() + "?page=137", **BROWSER_HEADERS)


def test_posting_a_reply_stays_under_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    topic = make_topic(posts=5000)
    member = make_member()
    client.force_login(member)
    # Counted with what runs after commit too (the search index update reads the topic's posts;
    # notifications: the replier watches the topic, its watchers and the mentioned are looked up).
    with django_assert_max_num_queries(33), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Thanks @[Nobody] for the tip"})
    assert response.status_code == 302
    assert Post.objects.get(topic=topic, position=5001).author == member


def test_a_reply_lands_on_the_page_that_shows_it(client):
    topic = make_topic(posts=40)
    client.force_login(make_member())
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Forty-one"})
    assert response.url.endswith("?page=3#post-41")


def test_the_accepted_answer_is_shown_at_the_top_of_the_first_page(client):
    topic = make_topic(posts=45)
    answer = topic.posts.get(position=43)
    services.accept_answer(topic.author, answer)
    response = client.get(topic.get_absolute_url())
    assert response.context["accepted"].post == answer
    page = response.content.decode()
    assert page.index('id="post-1"') < page.index('id="accepted-43"') < page.index('id="post-2"')


def test_hidden_and_deleted_posts_keep_their_place_but_not_their_text(client):
    topic = make_topic(posts=3)
    Post.objects.filter(topic=topic, position=2).update(is_hidden=True, body_html="<p>SPAM LINK</p>")
    Post.objects.filter(topic=topic, position=3).update(body_html="<p>REGRETTED</p>")
    services.delete_post(make_moderator(), topic.posts.get(position=3))
    response = client.get(topic.get_absolute_url())
    page = response.content.decode()
    assert positions(response) == [1, 2, 3]
    assert "SPAM LINK" not in page and "REGRETTED" not in page
    assert "hidden by a moderator" in page and "was deleted" in page


def test_new_posts_are_marked_unread_until_read(client):
    reader = make_member()
    client.force_login(reader)
    topic = make_topic(posts=2)
    client.get(topic.get_absolute_url())
    services.reply(make_member(), topic, "Something new")
    response = client.get(topic.get_absolute_url())
    assert [view.position for view in response.context["posts"] if view.is_unread] == [3]
    assert response.context["first_unread"] == 3
    assert not any(view.is_unread for view in client.get(topic.get_absolute_url()).context["posts"])


def test_the_category_says_which_topics_have_new_posts(client):
    reader = make_member()
    client.force_login(reader)
    category = make_category()
    topic = make_topic(category=category, posts=2)
    client.get(topic.get_absolute_url())
    assert "New posts" not in client.get(category.get_absolute_url()).content.decode()
    services.reply(make_member(), topic, "Fresh")
    assert "New posts" in client.get(category.get_absolute_url()).content.decode()


def test_views_are_counted_once_per_reader_and_never_for_bots(client):
    topic = make_topic()
    client.get(topic.get_absolute_url(), **BROWSER_HEADERS)
    client.get(topic.get_absolute_url(), **BROWSER_HEADERS)
    client.get(topic.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")
    member = Client()
    member.force_login(make_member())
    member.get(topic.get_absolute_url(), **BROWSER_HEADERS)
    assert Topic.objects.get(pk=topic.pk).view_count == 2


def test_a_wrong_slug_redirects_to_the_topic(client):
    topic = make_topic("Grinding beans at home")
    response = client.get(reverse("forum:topic", args=[topic.pk, "wrong"]) + "?page=1")
    assert response.status_code == 302 and response.url == topic.get_absolute_url() + "?page=1"


def test_a_post_permalink_leads_to_its_page(client):
    topic = make_topic(posts=30)
    post = topic.posts.get(position=25)
    response = client.get(post.get_permalink())
    assert response.url.endswith("?page=2#post-25")


def test_forms_refuse_posts_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member())
    assert client.post(reverse("forum:reply", args=[make_topic().pk]), {"body": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_to_ask(client):
    response = client.get(reverse("forum:new_topic"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_huge_reply_is_refused_with_a_clear_message_not_an_error(client):
    topic = make_topic()
    client.force_login(make_member())
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "a" * 25_000})
    assert response.status_code == 400
    assert "at most 20,000 characters" in response.content.decode()


def test_a_nul_byte_in_a_reply_is_refused_with_a_clear_message(client):
    client.force_login(make_member())
    response = client.post(reverse("forum:reply", args=[make_topic().pk]), {"body": "bad\x00byte"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_the_preview_returns_sanitized_html(client):
    client.force_login(make_member())
    response = client.post(reverse("forum:preview"), {"body": "**hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    expected = '<p dir="auto"><strong>hi</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>'
    assert response.content.decode().strip() == expected


def test_the_preview_explains_a_refusal(client):
    client.force_login(make_member())
    response = client.post(reverse("forum:preview"), {"body": ">" * 100 + " deep"})
    assert response.status_code == 400 and "nested" in response.content.decode()


def test_asking_creates_the_topic_and_shows_it(client):
    category = make_category("Coffee")
    client.force_login(make_member())
    response = client.post(
        reverse("forum:new_topic"),
        {"category": category.pk, "title": "Which grinder for espresso?", "body": "Budget is small.",
         "is_question": "on", "tags": "grinders, espresso"},
    )  # fmt: skip
    topic = Topic.objects.get()
    assert response.url == topic.get_absolute_url()
    assert sorted(topic.tags.values_list("name", flat=True)) == ["espresso", "grinders"]


def test_nobody_can_ask_in_a_category_they_cannot_see(client, insiders):
    hidden = make_category(restricted_to=[insiders])
    client.force_login(make_member())
    form = {"category": hidden.pk, "title": "Let me in please", "body": "x"}
    response = client.post(reverse("forum:new_topic"), form)
    assert response.status_code == 400 and not Topic.objects.exists()


def test_the_edit_history_is_for_moderators(client):
    post = make_topic(posts=1).posts.get()
    services.edit_post(post.author, post, "Changed text")
    url = reverse("forum:post_history", args=[post.pk])
    client.force_login(post.author)
    assert client.get(url).status_code == 404
    client.force_login(make_moderator())
    assert "Changed text" in client.get(url).content.decode()


def test_a_member_page_shows_reputation_badges_and_posts(client):
    topic = make_topic("Milk frothing tips", posts=1)
    answerer = make_member(display_name="Barista Bea")
    answer = services.reply(answerer, topic, "Use cold milk")
    services.accept_answer(topic.author, answer)
    page = client.get(reverse("forum:member", args=[answerer.pk])).content.decode()
    assert "Barista Bea" in page and "15" in page and "First accepted answer" in page and "Milk frothing tips" in page


def test_a_member_page_leaves_out_posts_in_categories_the_reader_cannot_see(client, insiders):
    author = make_member()
    make_topic("Secret roadmap", author=author, category=make_category(restricted_to=[insiders]))
    assert "Secret roadmap" not in client.get(reverse("forum:member", args=[author.pk])).content.decode()
