"""The review queue keeps the council's secrets: a moderator outside the council never sees,
counts or acts on a post of the council's private categories (the queue's lists and counts, the
header's number, the post actions by id, the moderation log), while a moderator in the council
works them as any other. Members and visitors get no queue at all."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Flag, ModerationAction, Post, Topic
from forum.services import NotAllowed, moderation
from tests.factories import BROWSER_HEADERS
from tests.factories.council import access_group, make_council_member
from tests.factories.forum import make_category, make_member, make_topic
from tests.forum.roles import ANONYMOUS, COUNCIL_MODERATOR, MODERATOR, MODERATORS, ROLES, make_reader

pytestmark = pytest.mark.django_db

COUNCIL_TITLE = "Quokka pricing roadmap"
COUNCIL_TEXT = "The council-only held reply"
PUBLIC_TITLE = "Grinder keeps clogging"


def hold(post) -> Post:
    Post.objects.filter(pk=post.pk).update(is_approved=False)
    post.refresh_from_db()
    return post


@pytest.fixture
def queue():
    """One flagged and one held post in a public category, and the same in the council's."""
    insider = make_council_member()
    council = make_topic(
        COUNCIL_TITLE,
        category=make_category("Council lounge", restricted_to=[access_group()]),
        author=insider,
        posts=3,
        body=COUNCIL_TEXT,
    )
    public = make_topic(PUBLIC_TITLE, posts=3)
    moderation.flag_post(make_council_member(), council.posts.get(position=2), Flag.Reason.SPAM)
    moderation.flag_post(make_member(), public.posts.get(position=2), Flag.Reason.SPAM)
    return {
        "council_flagged": council.posts.get(position=2),
        "council_held": hold(council.posts.get(position=3)),
        "public_flagged": public.posts.get(position=2),
        "public_held": hold(public.posts.get(position=3)),
    }


def client_for(user) -> Client:
    client = Client(**BROWSER_HEADERS)
    if user is not None:
        client.force_login(user)
    return client


def ids(html: str, kind: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'data-{kind}-post="(\d+)"', html)}


def header_count(html: str) -> int:
    found = re.search(r"data-pending-count>([^<]*)<", html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_lists_and_counts_only_the_posts_of_categories_the_reader_reads(role, queue):
    reader = make_reader(role)
    response = client_for(reader).get(reverse("forum:moderation_queue"))

    if role not in MODERATORS:
        assert response.status_code == (302 if role == ANONYMOUS else 403)
        assert COUNCIL_TITLE not in response.content.decode()
        return
    html = response.content.decode()
    assert response.status_code == 200
    if role == COUNCIL_MODERATOR:
        assert ids(html, "flagged") == {queue["council_flagged"].pk, queue["public_flagged"].pk}
        assert ids(html, "held") == {queue["council_held"].pk, queue["public_held"].pk}
        assert "2 flagged posts · 2 posts waiting for approval" in html
        assert header_count(html) == 4
    else:
        assert ids(html, "flagged") == {queue["public_flagged"].pk}
        assert ids(html, "held") == {queue["public_held"].pk}
        assert "1 flagged post · 1 post waiting for approval" in html
        assert header_count(html) == 2
        assert COUNCIL_TITLE not in html
        assert COUNCIL_TEXT not in html
        assert "Council lounge" not in html


@pytest.mark.parametrize(
    ("action", "post"),
    [
        ("approve", "council_held"),
        ("reject", "council_held"),
        ("hide", "council_flagged"),
        ("unhide", "council_flagged"),
        ("dismiss", "council_flagged"),
        ("hide-topic", "council_flagged"),
    ],
)
def test_a_moderator_outside_the_council_acting_on_a_council_post_by_id_finds_nothing(action, post, queue):
    target = queue[post]
    before = Post.objects.filter(pk=target.pk).values().get()
    client = client_for(make_reader(MODERATOR))

    response = client.post(reverse("forum:moderate_post", args=[target.pk, action]))

    assert response.status_code == 404
    assert COUNCIL_TITLE not in response.content.decode()
    assert Post.objects.filter(pk=target.pk).values().get() == before
    assert not Topic.objects.get(pk=target.topic_id).is_hidden
    assert Flag.objects.filter(post=target, resolved_at__isnull=True).count() == (1 if post == "council_flagged" else 0)
    assert not ModerationAction.objects.filter(post=target).exists()


def test_only_a_moderator_in_the_council_approves_and_hides_council_posts(queue):
    approve = reverse("forum:moderate_post", args=[queue["council_held"].pk, "approve"])
    hide = reverse("forum:moderate_post", args=[queue["council_flagged"].pk, "hide"])
    outside, inside = client_for(make_reader(MODERATOR)), client_for(make_reader(COUNCIL_MODERATOR))

    assert outside.post(approve).status_code == 404
    assert outside.post(hide).status_code == 404
    assert inside.post(approve).status_code == 302
    assert inside.post(hide).status_code == 302

    assert Post.objects.get(pk=queue["council_held"].pk).is_approved
    assert Post.objects.get(pk=queue["council_flagged"].pk).is_hidden


def test_the_service_refuses_a_moderator_outside_the_council_whoever_calls_it(queue):
    outsider = make_reader(MODERATOR)

    for act in (
        lambda: moderation.approve_post(outsider, queue["council_held"]),
        lambda: moderation.reject_post(outsider, queue["council_held"]),
        lambda: moderation.hide_post(outsider, queue["council_flagged"]),
        lambda: moderation.dismiss_flags(outsider, queue["council_flagged"]),
    ):
        with pytest.raises(NotAllowed):
            act()
    assert not Post.objects.get(pk=queue["council_held"].pk).is_approved
    assert not ModerationAction.objects.exists()


def test_the_log_shows_a_moderator_outside_the_council_no_council_topic(queue):
    insider = make_reader(COUNCIL_MODERATOR)
    moderation.approve_post(insider, queue["council_held"])
    moderation.approve_post(insider, queue["public_held"])

    outside = client_for(make_reader(MODERATOR)).get(reverse("forum:moderation_log")).content.decode()
    inside = client_for(make_reader(COUNCIL_MODERATOR)).get(reverse("forum:moderation_log")).content.decode()

    assert PUBLIC_TITLE in outside
    assert COUNCIL_TITLE not in outside
    assert COUNCIL_TITLE in inside


def queue_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("forum:moderation_queue"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_queue_costs_the_same_queries_however_many_council_posts_wait_and_shows_none(queue):
    client = client_for(make_reader(MODERATOR))
    queue_queries(client)  # the first page of a session warms the site's caches
    few, _html = queue_queries(client)
    council = queue["council_flagged"].topic
    for post in make_topic(category=council.category, posts=12).posts.all():
        moderation.flag_post(make_council_member(), post, Flag.Reason.ABUSE)

    many, html = queue_queries(client)

    assert many == few
    assert ids(html, "flagged") == {queue["public_flagged"].pk}


@pytest.mark.parametrize("role", sorted(MODERATORS))
def test_the_topic_tools_do_not_reach_into_the_council_for_a_moderator_outside_it(queue, role):
    """Lock, pin, hide, move and merge act on a council topic only for a moderator who may read it;
    the move form offers the council's categories and the merge form accepts its topics only to them."""
    council_topic = queue["council_flagged"].topic
    public_topic = make_topic("Descaling the boiler")
    client = Client(**BROWSER_HEADERS)
    client.force_login(make_reader(role))
    inside = role == COUNCIL_MODERATOR

    for tool in ("lock", "pin", "hide"):
        response = client.post(reverse("forum:topic_tool", args=[council_topic.pk, tool]))
        assert response.status_code == (302 if inside else 404), tool
    council_topic.refresh_from_db()
    assert (council_topic.is_locked, council_topic.is_pinned, council_topic.is_hidden) == (inside, inside, inside)

    assert client.get(reverse("forum:move_topic", args=[council_topic.pk])).status_code == (200 if inside else 404)
    move_form = client.get(reverse("forum:move_topic", args=[public_topic.pk])).content.decode()
    assert ("Council lounge" in move_form) is inside

    merged = client.post(reverse("forum:merge_topic", args=[public_topic.pk]), {"target": str(council_topic.pk)})
    assert merged.status_code == (302 if inside else 400)
    public_topic.refresh_from_db()
    assert public_topic.is_hidden is inside, "merged away only by a moderator who may read the target"
