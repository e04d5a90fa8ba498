"""The moderation pages over HTTP: who may open and use them, CSRF on every change, GETs that
never change anything, clear 4xx answers for bad input, and a review queue whose cost does not
grow with the number of flags."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Flag, ModerationAction, Post, Topic
from forum.services import moderation
from tests.factories import BROWSER_HEADERS
from tests.factories.forum import make_category, make_group, make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return make_topic("Espresso channeling", posts=3)


@pytest.fixture
def post(topic):
    return topic.posts.get(position=2)


@pytest.fixture
def moderator():
    return make_moderator()


def moderator_posts(topic, post, member):
    """Every moderator-only POST, with valid data."""
    return [
        (reverse("forum:moderate_post", args=[post.pk, "hide"]), {}),
        (reverse("forum:moderate_post", args=[post.pk, "hide-topic"]), {}),
        (reverse("forum:topic_tool", args=[topic.pk, "lock"]), {}),
        (reverse("forum:topic_tool", args=[topic.pk, "pin"]), {}),
        (reverse("forum:topic_tool", args=[topic.pk, "hide"]), {}),
        (reverse("forum:move_topic", args=[topic.pk]), {"category": make_category().pk}),
        (reverse("forum:merge_topic", args=[topic.pk]), {"target": make_topic().pk}),
        (reverse("forum:suspend_member", args=[member.pk]), {"reason": "Spam"}),
    ]


def moderator_pages(topic, member):
    return [
        reverse("forum:moderation_queue"),
        reverse("forum:moderation_log"),
        reverse("forum:move_topic", args=[topic.pk]),
        reverse("forum:merge_topic", args=[topic.pk]),
        reverse("forum:suspend_member", args=[member.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, topic, post):
    for url, data in moderator_posts(topic, post, make_member()):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(reverse("forum:flag", args=[post.pk]), {"reason": "spam"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not ModerationAction.objects.exists() and not Flag.objects.exists()


def test_members_are_refused_the_moderator_pages_and_tools_with_a_403(client, topic, post):
    client.force_login(make_member())
    for url in moderator_pages(topic, make_member()):
        response = client.get(url)
        assert response.status_code == 403 and "Only moderators" in response.content.decode()
    for url, data in moderator_posts(topic, post, make_member()):
        assert client.post(url, data).status_code == 403
    topic.refresh_from_db()
    assert (topic.is_locked, topic.is_pinned, topic.is_hidden) == (False, False, False)
    assert not ModerationAction.objects.exists()


def test_moderators_open_every_moderation_page(client, topic, moderator):
    client.force_login(moderator)
    for url in moderator_pages(topic, make_member()):
        assert client.get(url).status_code == 200, url


def test_every_change_needs_the_csrf_token(topic, post, moderator):
    member = make_member()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    for url, data in moderator_posts(topic, post, member):
        assert client.post(url, data).status_code == 403, url
    flagger = Client(enforce_csrf_checks=True)
    flagger.force_login(make_member())
    assert flagger.post(reverse("forum:flag", args=[post.pk]), {"reason": "spam"}).status_code == 403
    assert not ModerationAction.objects.exists() and not Flag.objects.exists()


def test_gets_never_change_anything(client, topic, post, moderator):
    client.force_login(moderator)
    requests = moderator_posts(topic, post, make_member())
    topics = Topic.objects.count()
    for url, _data in requests:
        assert client.get(url).status_code in (200, 405), url
    for action in ("dismiss", "approve", "reject", "unhide"):
        assert client.get(reverse("forum:moderate_post", args=[post.pk, action])).status_code == 405
    assert client.get(reverse("forum:unsuspend_member", args=[make_member().pk])).status_code == 405
    assert client.get(reverse("forum:flag", args=[post.pk])).status_code == 200
    topic.refresh_from_db()
    assert (topic.is_locked, topic.is_pinned, topic.is_hidden, Topic.objects.count()) == (False, False, False, topics)
    assert not ModerationAction.objects.exists() and not Flag.objects.exists()


def test_a_member_flags_a_post_from_the_form_and_is_thanked(client, post):
    client.force_login(make_member())
    response = client.post(reverse("forum:flag", args=[post.pk]), {"reason": "abuse", "note": "Rude"}, follow=True)
    assert "A moderator will look at this post" in response.content.decode()
    assert Flag.objects.get().reason == "abuse"


def test_a_second_flag_from_the_form_says_it_is_already_flagged(client, post):
    client.force_login(make_member())
    client.post(reverse("forum:flag", args=[post.pk]), {"reason": "spam"})
    response = client.post(reverse("forum:flag", args=[post.pk]), {"reason": "spam"})
    assert response.status_code == 409 and "already flagged" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"reason": "bogus"}, {"reason": "other", "note": "x" * 501}])
def test_a_bad_flag_form_answers_400_with_the_form(client, post, data):
    client.force_login(make_member())
    response = client.post(reverse("forum:flag", args=[post.pk]), data)
    assert response.status_code == 400 and 'class="errorlist"' in response.content.decode()


def test_members_see_a_flag_link_on_others_posts_and_moderators_see_the_tools(client, topic, moderator):
    author = topic.author
    client.force_login(make_member())
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "data-flag-link" in html and "data-moderator-tools" not in html
    client.force_login(author)
    assert "data-flag-link" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(moderator)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert (
        "data-moderator-tools" in html
        and reverse("forum:moderate_post", args=[topic.posts.get(position=2).pk, "hide"]) in html
    )
    assert "data-flag-link" not in client.get(reverse("forum:index")).content.decode()


def test_the_queue_shows_each_flagged_post_with_its_author_reasons_and_counts(client, post, moderator):
    for reason in ("spam", "spam", "abuse"):
        moderation.flag_post(make_member(), post, reason, "Sells watches" if reason == "abuse" else "")
    client.force_login(moderator)
    html = client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-flagged-post="{post.pk}"' in html
    assert post.author.public_name in html and "Espresso channeling" in html
    assert "Flagged by 3 members" in html and "Spam × 2" in html and "Abuse or harassment × 1" in html
    assert "Sells watches" in html


def test_a_moderator_hides_a_flagged_post_from_the_queue(client, post, moderator):
    moderation.flag_post(make_member(), post, "spam")
    client.force_login(moderator)
    response = client.post(
        reverse("forum:moderate_post", args=[post.pk, "hide"]), {"next": reverse("forum:moderation_queue")}
    )
    assert response.status_code == 302 and response.url == reverse("forum:moderation_queue")
    assert Post.objects.get(pk=post.pk).is_hidden
    assert f'data-flagged-post="{post.pk}"' not in client.get(reverse("forum:moderation_queue")).content.decode()


def test_an_offsite_next_address_is_ignored(client, post, moderator):
    moderation.flag_post(make_member(), post, "spam")
    client.force_login(moderator)
    response = client.post(reverse("forum:moderate_post", args=[post.pk, "dismiss"]), {"next": "https://evil.example/"})
    assert response.url == reverse("forum:moderation_queue")


def test_the_log_lists_every_action_with_moderator_action_target_and_reason(client, topic, moderator):
    moderation.lock_topic(moderator, topic, "Heated")
    client.force_login(moderator)
    html = client.get(reverse("forum:moderation_log")).content.decode()
    assert "Locked a topic" in html and "Heated" in html and moderator.public_name in html and topic.title in html


def flag_many(count):
    for n in range(count):
        topic = make_topic(posts=2)
        moderation.flag_post(make_member(), topic.posts.get(position=2), "spam", f"note {n}")
        moderation.flag_post(make_member(), topic.posts.get(position=2), "abuse")


def queries_for_queue(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("forum:moderation_queue")).status_code == 200
    return [query["sql"] for query in captured]


def test_the_queue_costs_the_same_queries_for_5_and_50_flagged_posts(client, moderator):
    client.force_login(moderator)
    queries_for_queue(client)  # the first page of a session warms the site's caches
    flag_many(5)
    with_five = queries_for_queue(client)
    flag_many(45)
    with_fifty = queries_for_queue(client)
    assert len(with_five) == len(with_fifty), "\n".join(with_fifty)
    assert len(with_fifty) <= 15, "\n".join(with_fifty)


@pytest.mark.parametrize(
    "url",
    [
        "/en/forum/moderation/p/99999999999999999999999/hide/",
        "/en/forum/moderation/p/999999/hide/",
        "/en/forum/moderation/p/{post}/explode/",
        "/en/forum/moderation/t/{topic}/explode/",
        "/en/forum/moderation/t/99999999999999999999999/lock/",
        "/en/forum/moderation/u/99999999999999999999999/unsuspend/",
        "/en/forum/p/99999999999999999999999/flag/",
        "/en/forum/t/99999999999999999999999/some-slug/",
        "/en/forum/t/99999999999999999999999/",
    ],
)
def test_unknown_things_are_not_found(client, topic, post, moderator, url):
    client.force_login(moderator)
    url = url.format(post=post.pk, topic=topic.pk)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)


NASTY = [
    "",
    "\x00",
    "A" * 5_000,
    "💥" * 600,
    "<script>alert(1)</script>",
    "-1",
    "1e9",
    "99999999999999999999999",
    "../",
]


@pytest.mark.parametrize("value", NASTY)
def test_hostile_input_never_causes_a_server_error(topic, post, moderator, value):
    member = make_member()
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    requests = [
        (reverse("forum:moderate_post", args=[post.pk, "dismiss"]), {"reason": value, "next": value}),
        (reverse("forum:topic_tool", args=[topic.pk, "lock"]), {"reason": value, "next": value}),
        (reverse("forum:move_topic", args=[topic.pk]), {"category": value, "reason": value}),
        (reverse("forum:merge_topic", args=[topic.pk]), {"target": value, "reason": value}),
        (reverse("forum:suspend_member", args=[member.pk]), {"until": value, "reason": value}),
        (reverse("forum:unsuspend_member", args=[member.pk]), {"reason": value}),
    ]
    for url, data in requests:
        response = client.post(url, data, **BROWSER_HEADERS)
        assert response.status_code < 500, (url, response.status_code)
    assert client.get(reverse("forum:moderation_queue"), {"page": value}).status_code == 200
    flagger = Client(raise_request_exception=False)
    flagger.force_login(make_member())
    response = flagger.post(reverse("forum:flag", args=[post.pk]), {"reason": value, "note": value})
    assert response.status_code < 500


def test_a_merge_into_a_missing_topic_explains_itself(client, topic, moderator):
    client.force_login(moderator)
    response = client.post(reverse("forum:merge_topic", args=[topic.pk]), {"target": "999999"})
    assert response.status_code == 400 and "There is no topic with this number" in response.content.decode()
    response = client.post(reverse("forum:merge_topic", args=[topic.pk]), {"target": str(topic.pk)})
    assert response.status_code == 400 and "cannot be merged into itself" in response.content.decode()


def test_a_merge_accepts_the_targets_address(client, topic, moderator):
    target = make_topic()
    client.force_login(moderator)
    response = client.post(
        reverse("forum:merge_topic", args=[topic.pk]), {"target": f"http://testserver{target.get_absolute_url()}"}
    )
    assert response.status_code == 302 and response.url == target.get_absolute_url()
    assert Post.objects.filter(topic=target).count() == 4


def test_a_suspension_from_the_form_ends_on_the_chosen_day(client, moderator):
    member = make_member()
    client.force_login(moderator)
    response = client.post(reverse("forum:suspend_member", args=[member.pk]), {"reason": "Spam", "until": "2999-01-01"})
    assert response.status_code == 302
    assert member.forum_suspensions.get().until.year == 2999
    response = client.post(reverse("forum:suspend_member", args=[member.pk]), {"reason": "Spam", "until": "2000-01-01"})
    assert response.status_code == 400 and "after today" in response.content.decode()


def test_the_admin_menu_leads_moderators_to_the_queue(client, moderator):
    client.force_login(moderator)
    assert reverse("forum:moderation_queue") in client.get("/admin/").content.decode()
    editor = make_member(make_group("Editors"))
    client.force_login(editor)
    assert reverse("forum:moderation_queue") not in client.get("/admin/").content.decode()


def test_a_moderator_hides_the_whole_topic_from_the_queue(client, topic, post, moderator):
    moderation.flag_post(make_member(), post, "spam")
    client.force_login(moderator)
    response = client.post(reverse("forum:moderate_post", args=[post.pk, "hide-topic"]), {"reason": "Spam thread"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_hidden
    assert ModerationAction.objects.get().action == ModerationAction.Action.HIDE_TOPIC


def test_a_moderator_suspends_a_flagged_author_from_the_queue_and_returns_to_it(client, post, moderator):
    moderation.flag_post(make_member(), post, "abuse")
    client.force_login(moderator)
    queue = reverse("forum:moderation_queue")
    suspend_url = reverse("forum:suspend_member", args=[post.author_id])
    assert f"{suspend_url}?next=" in client.get(queue).content.decode()
    response = client.post(suspend_url, {"reason": "Insults", "next": queue})
    assert response.status_code == 302 and response.url == queue
    assert "Suspended" in client.get(queue).content.decode()
    member = Client()
    member.force_login(post.author)
    assert member.post(reverse("forum:reply", args=[post.topic_id]), {"body": "More"}).status_code == 403


def test_a_moderator_approves_and_rejects_held_posts_from_the_queue(client, topic, moderator, settings):
    settings.FORUM_HOLD_FIRST_POSTS = 1
    newcomer = make_member()
    first = services.reply(newcomer, topic, "Held one")
    second = services.reply(newcomer, topic, "Held two")
    client.force_login(moderator)
    html = client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-held-post="{first.pk}"' in html and f'data-held-post="{second.pk}"' in html
    client.post(reverse("forum:moderate_post", args=[first.pk, "approve"]))
    client.post(reverse("forum:moderate_post", args=[second.pk, "reject"]), {"reason": "Duplicate"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_approved and second.deleted_at is not None
    assert "data-held-post" not in client.get(reverse("forum:moderation_queue")).content.decode()
    anonymous = Client()
    html = anonymous.get(topic.get_absolute_url()).content.decode()
    assert "Held one" in html and "Held two" not in html
