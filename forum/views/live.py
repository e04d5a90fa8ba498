"""What a live topic page fetches, and the member's notifications.

A websocket event says only that post 81 of topic 7 changed (forum.live); the page asks
``post_fragment`` for the HTML, which re-checks forum.permissions for this reader: a topic they
cannot see, or a post hidden from them, is a 404, exactly as on the topic page itself.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forum.models import Notification, Post, PostVote
from forum.permissions import can_see_post, is_moderator, visible_topics
from forum.services import notifications
from forum.services.answers import can_choose_answer
from forum.views.browsing import PostView
from forum.views.responses import member_required, refusals_as_responses, wants_json
from sitewide.ids import MAX_ID, parse_id

NOTIFICATIONS_PER_PAGE = 20
#: The accepted answer's two looks on page 1: in full under the question, a pointer in its place.
ACCEPTED_SECTIONS = {
    "accepted": "forum/includes/live_accepted.html",
    "pointer": "forum/includes/accepted_pointer.html",
}


@never_cache
def post_fragment(request, topic_pk, post_pk):
    """One post as the topic page shows it to this reader.

    ``?section=accepted``: the accepted answer's box at the top of page 1; ``?section=pointer``:
    what stands in its place in the conversation on page 1; ``?section=score``: its score with
    the unit in the reader's language ("3 votes").
    """
    user = request.user
    topic = get_object_or_404(visible_topics(user), pk=topic_pk)
    post = get_object_or_404(
        Post.objects.select_related("author", "author__forum_stats"), pk=post_pk, topic_id=topic.pk
    )
    if not can_see_post(user, post):
        raise Http404
    voted = set()
    if user.is_authenticated:
        voted = set(PostVote.objects.filter(user=user, post=post).values_list("post_id", flat=True))
    view = PostView(post, user=user, topic=topic, voted=voted, last_read=None)
    moderator = is_moderator(user)
    context = {
        "view": view,
        "topic": topic,
        "is_moderator": moderator,
        "can_reply": user.is_authenticated and (not topic.is_locked or moderator),
        "can_choose_answer": can_choose_answer(user, topic),
    }
    section = request.GET.get("section")
    if section in ("accepted", "pointer"):
        if topic.accepted_answer_id != post.pk:
            raise Http404
        return render(request, ACCEPTED_SECTIONS[section], context)
    if section == "score":
        return render(request, "forum/includes/score.html", context)
    return render(request, "forum/includes/post.html", context)


@never_cache
def reply_count(request, pk):
    """The topic's reply count as its header shows it, for a page that has just been told of a
    new, hidden or deleted reply (static/js/forum-live.js)."""
    if pk > MAX_ID:
        raise Http404
    topic = get_object_or_404(visible_topics(request.user), pk=pk)
    return render(request, "forum/includes/reply_count.html", {"topic": topic})


@require_POST
@member_required
@refusals_as_responses
def watch_view(request, pk):
    """Watch or stop watching a topic (``action=unwatch``)."""
    topic = get_object_or_404(visible_topics(request.user), pk=pk)
    watching = request.POST.get("action") != "unwatch"
    if watching:
        notifications.watch(request.user, topic)
    else:
        notifications.unwatch(request.user, topic)
    if wants_json(request):
        return JsonResponse({"watching": watching})
    return redirect(topic.get_absolute_url())


@never_cache
@member_required
def notification_list(request):
    """The member's notifications, newest first, 20 a page; only those they may still open.

    The same queries whatever the page: session, user, moderator check, count, page rows (topic,
    post and actor joined), the email preference, and the bell's count (which agrees with the list).
    """
    rows = (
        notifications.visible_notifications(request.user)
        .select_related("topic", "post", "actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "notifications": page.object_list,
        "email_on_activity": notifications.wants_email(request.user),
    }
    return render(request, "forum/notifications.html", context)


@never_cache
@member_required
def open_notification(request, pk):
    """Mark one notification read and go to what it is about (if it is still to be seen)."""
    row = get_object_or_404(Notification.objects.select_related("topic", "post"), pk=pk, recipient=request.user)
    notifications.mark_read(request.user, [row.pk])
    if not notifications.visible_notifications(request.user).filter(pk=row.pk).exists():
        raise Http404
    return redirect(row.post.get_absolute_url() if row.post is not None else row.topic.get_absolute_url())


@require_POST
@member_required
def mark_notifications_read(request):
    """Mark one (``notification=<id>``) or all of the member's notifications read."""
    raw = request.POST.get("notification", "")
    ids = [parse_id(raw)] if parse_id(raw) is not None else None
    notifications.mark_read(request.user, ids)
    if wants_json(request):
        return JsonResponse({"unread": notifications.unread_count(request.user)})
    return redirect("forum:notifications")


@require_POST
@member_required
def notification_settings(request):
    """The member's opt-in to forum email (off unless they tick it)."""
    wanted = request.POST.get("email_on_activity") == "on"
    notifications.set_email_preference(request.user, wanted)
    messages.success(
        request,
        _("We will email you about forum activity.") if wanted else _("We will not email you about forum activity."),
    )
    return redirect("forum:notifications")
