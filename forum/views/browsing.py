"""Reading the forum: index, category, topic (keyset pages by post position), member pages."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from forum.forms import ReplyForm
from forum.models import BadgeAward, Post, PostVote, Topic, TopicReadState
from forum.models.topics import POSTS_PER_PAGE, page_count_for
from forum.permissions import (
    can_see_post,
    can_view_topic,
    is_moderator,
    last_visible_position,
    opening_post_held,
    visible_categories,
    visible_topics,
)
from forum.services import mark_read, record_view
from forum.services.answers import can_choose_answer
from forum.services.drafts import can_draft_article
from forum.services.posting import can_delete_post, can_edit_post
from forum.services.reading import read_state
from forum.services.reputation import stats_for
from sitewide.ids import parse_id

TOPICS_PER_PAGE = 30
#: Topics listed under "Latest" on the forum index.
LATEST_TOPICS = 10


def _topic_counts(user):
    topics = visible_topics(user).filter(category=OuterRef("pk")).order_by().values("category")
    return {
        "topic_count": Coalesce(Subquery(topics.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()),
        # Opening posts and the replies everyone sees: held, hidden and deleted ones do not count.
        "post_total": Coalesce(
            Subquery(topics.annotate(n=Sum(F("reply_count") + 1)).values("n")), 0, output_field=IntegerField()
        ),
    }


def _with_read_positions(topics, user):
    """The topics as listed to ``user``: with the position they have read up to and, for those
    who may see held topics at all (their author, moderators), ``is_held``, in the same query."""
    if not user.is_authenticated:
        return topics
    topics = topics.annotate(is_held=opening_post_held())
    state = TopicReadState.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_position")[:1]
    return topics.annotate(last_read_position=Subquery(state))


def forum_index(request):
    categories = (
        visible_categories(request.user).annotate(**_topic_counts(request.user)).prefetch_related("restricted_to")
    )
    latest = _with_read_positions(
        visible_topics(request.user).select_related("category", "author").order_by("-last_posted_at"), request.user
    )[:LATEST_TOPICS]
    return render(request, "forum/index.html", {"categories": categories, "latest": latest})


def category_page(request, slug):
    category = get_object_or_404(visible_categories(request.user), slug=slug)
    topics = _with_read_positions(
        visible_topics(request.user)
        .filter(category=category)
        .select_related("author")
        .order_by("-is_pinned", "-last_posted_at", "-pk"),
        request.user,
    )
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/category.html", {"category": category, "page_obj": page, "topics": page})


def _page_number(request, page_count) -> int:
    number = parse_id(request.GET.get("page", "1"), maximum=10**9)
    if number is None:
        raise Http404
    if number < 1 or number > page_count:
        raise Http404
    return number


class PostView:
    """What the topic page needs to know about one post for this reader."""

    def __init__(self, post, *, user, topic, voted, last_read):
        post.topic = topic  # the rule checks below read it without another query
        self.post = post
        self.visible = can_see_post(user, post)
        self.can_edit = can_edit_post(user, post)
        self.can_delete = can_delete_post(user, post)
        self.can_vote = user.is_authenticated and post.author_id != user.pk and self.visible
        self.voted = post.pk in voted
        self.is_accepted = topic.accepted_answer_id == post.pk
        self.is_unread = last_read is not None and post.position > last_read

    def __getattr__(self, name):
        return getattr(self.post, name)


def topic_page(request, pk, slug):
    """One page of a topic: positions (N-1)*20+1 .. N*20, found by the (topic, position) index.

    The number of queries does not depend on the topic's size or the page asked for.
    """
    user = request.user
    topic = get_object_or_404(visible_topics(user).select_related("category", "author"), pk=pk)
    if slug != topic.slug:
        url = topic.get_absolute_url()
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    # Pages end at the last post this reader sees: a held reply adds a page only for its author
    # and the moderators.
    last_position = last_visible_position(user, topic)
    page_count = page_count_for(last_position)
    number = _page_number(request, page_count)
    first, last = (number - 1) * POSTS_PER_PAGE + 1, number * POSTS_PER_PAGE
    posts = list(
        Post.objects.filter(topic=topic, position__gte=first, position__lte=last)
        .select_related("author", "author__forum_stats")
        .order_by("position")
    )
    accepted = None
    if topic.accepted_answer_id and number == 1:
        accepted = next((post for post in posts if post.pk == topic.accepted_answer_id), None) or (
            Post.objects.select_related("author", "author__forum_stats").filter(pk=topic.accepted_answer_id).first()
        )
    ids = [post.pk for post in posts] + ([accepted.pk] if accepted else [])
    voted = set()
    state = None
    if user.is_authenticated:
        voted = set(PostVote.objects.filter(user=user, post_id__in=ids).values_list("post_id", flat=True))
        state = read_state(user, topic)
    last_read = state.last_read_position if state else (0 if user.is_authenticated else None)
    views = [PostView(post, user=user, topic=topic, voted=voted, last_read=last_read) for post in posts]
    accepted_view = PostView(accepted, user=user, topic=topic, voted=voted, last_read=None) if accepted else None
    first_unread = next((view.position for view in views if view.is_unread), None)
    if posts:
        mark_read(user, topic, posts[-1].position, state=state if state else False)
    if request.method == "GET" and record_view(request.reader, topic):
        topic.view_count += 1
    context = {
        "topic": topic,
        "category": topic.category,
        "posts": views,
        "accepted": accepted_view if accepted_view and accepted_view.visible else None,
        "page_number": number,
        "page_count": page_count,
        "last_position": last_position,
        "page_range": _page_links(number, page_count),
        "first_unread": first_unread,
        "tags": list(topic.tags.all()),
        "is_moderator": is_moderator(user),
        "can_reply": user.is_authenticated and (not topic.is_locked or is_moderator(user)),
        "can_choose_answer": can_choose_answer(user, topic),
        "can_draft_article": topic.accepted_answer_id is not None and can_draft_article(user),
        "reply_form": ReplyForm(),
    }
    return render(request, "forum/topic.html", context)


def _page_links(current: int, total: int) -> list:
    """Page numbers to link: the first, the last and two either side of the current (None = gap)."""
    shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


def topic_redirect(request, pk):
    topic = get_object_or_404(visible_topics(request.user), pk=pk)
    return redirect(topic.get_absolute_url())


def post_redirect(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    if not can_view_topic(request.user, post.topic):
        raise Http404
    return redirect(post.get_absolute_url())


def post_history(request, pk):
    """Every version of a post, for moderators."""
    post = get_object_or_404(Post.objects.select_related("topic", "author"), pk=pk)
    if not is_moderator(request.user) or not can_view_topic(request.user, post.topic):
        raise Http404
    revisions = post.revisions.select_related("editor")
    return render(request, "forum/post_history.html", {"post": post, "topic": post.topic, "revisions": revisions})


def member_page(request, pk):
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    topics = visible_topics(request.user)
    posts = (
        Post.objects.filter(author=member, topic__in=topics, deleted_at__isnull=True, is_hidden=False, is_approved=True)
        # A reply in a topic still held is listed only to those who see held topics: badged.
        .annotate(is_held=opening_post_held("topic"))
        .select_related("topic")
        .order_by("-created_at")[:20]
    )
    context = {
        "member": member,
        "stats": stats_for(member),
        "badges": BadgeAward.objects.filter(user=member),
        "badge_labels": dict(BadgeAward.Badge.choices),
        "posts": posts,
        "accepted_ids": set(
            Topic.objects.filter(accepted_answer__author=member).values_list("accepted_answer_id", flat=True)
        ),
        "new_topic_url": reverse("forum:new_topic"),
        "held_posts": held_posts_of(request.user) if request.user.pk == member.pk else None,
    }
    return render(request, "forum/member.html", context)


def held_posts_of(user):
    """The member's own posts still waiting for a moderator, newest first: for their eyes only
    (the member page shows them to the member alone). Rejected posts are deleted, so not here."""
    return (
        Post.objects.filter(
            author=user, is_approved=False, deleted_at__isnull=True, is_hidden=False, topic__in=visible_topics(user)
        )
        .select_related("topic")
        .order_by("-created_at", "-pk")
    )
