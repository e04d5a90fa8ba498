"""Moderation pages: members flag posts; moderators work the review queue, use the topic tools,
suspend members and read the audit log. Every change is a POST through forum.services.moderation;
GETs only show forms and lists."""

from collections import Counter
from datetime import datetime, time
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum.models import Category, Flag, MemberRestriction, ModerationAction, Post, Topic
from forum.models.moderation import MAX_NOTE_CHARACTERS, suspension_of
from forum.permissions import can_see_post, categories_by_membership, is_moderator, visible_categories, visible_topics
from forum.services import ActionRefused, NotAllowed
from forum.services import moderation as services
from forum.views import browsing
from forum.views.responses import member_required, refusals_as_responses, refused_response
from sitewide.ids import MAX_ID, parse_id
from sitewide.redirects import local_path_or

FLAGGED_POSTS_PER_PAGE = 25
HELD_POSTS_SHOWN = 50
LOG_ROWS_PER_PAGE = 50
#: The largest id a database integer column holds: bigger ones are simply not found.


def moderator_required(view):
    """Anonymous callers log in; members who are not moderators get a 403 with a message."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_moderator(request.user):
            return refused_response(request, NotAllowed(_("Only moderators can do this.")))
        return view(request, *args, **kwargs)

    return wrapper


def _get(queryset, pk):
    if pk > MAX_ID:
        raise Http404
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _next_url(request, fallback: str) -> str:
    # Only a path on this site: an address elsewhere, or a bare word redirect() would read as a
    # view name, falls back.
    return local_path_or(request, request.POST.get("next", ""), fallback)


def _reason(request) -> str:
    return request.POST.get("reason", "")


# --- Members: flagging --------------------------------------------------------------------------


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why should a moderator look at this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Anything a moderator should know (optional)"),
        required=False,
        max_length=MAX_NOTE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE_CHARACTERS, "dir": "auto"}),
    )


@member_required
def flag_view(request, pk):
    post = _get(Post.objects.select_related("topic", "topic__category", "author"), pk)
    if not visible_topics(request.user).filter(pk=post.topic_id).exists() or not can_see_post(request.user, post):
        raise Http404
    form = FlagForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_post(request.user, post, form.cleaned_data["reason"], form.cleaned_data["note"])
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Thank you. A moderator will look at this post."))
                return redirect(post.get_absolute_url())
        else:
            status = 400
    return render(request, "forum/moderation/flag.html", {"form": form, "post": post}, status=status)


# --- Moderators: the review queue ---------------------------------------------------------------


class FlaggedPost:
    """One post in the queue with its open flags summed up by reason."""

    def __init__(self, post, *, suspended_ids):
        self.post = post
        self.flags = post.open_flags
        labels = dict(Flag.Reason.choices)
        counts = Counter(flag.reason for flag in self.flags)
        self.reasons = [(labels.get(reason, reason), count) for reason, count in counts.most_common()]
        self.notes = [flag for flag in self.flags if flag.note]
        self.author_suspended = post.author_id in suspended_ids

    def __getattr__(self, name):
        return getattr(self.post, name)


@moderator_required
def queue_view(request):
    """Open flags grouped by post (most flagged first) and the posts held for approval, of the
    categories this moderator reads as a member (services.reviewable_posts).

    The number of queries does not depend on how many flags there are.
    """
    page = Paginator(services.flagged_posts(request.user), FLAGGED_POSTS_PER_PAGE).get_page(request.GET.get("page"))
    held = list(services.held_posts(request.user)[:HELD_POSTS_SHOWN])
    authors = {post.author_id for post in page} | {post.author_id for post in held}
    suspended_ids = set(
        MemberRestriction.objects.in_force().filter(user_id__in=authors - {None}).values_list("user_id", flat=True)
    )
    context = {
        "page_obj": page,
        "flagged": [FlaggedPost(post, suspended_ids=suspended_ids) for post in page],
        "held": held,
        "suspended_ids": suspended_ids,
    }
    return render(request, "forum/moderation/queue.html", context)


#: Post actions a moderator takes from the queue or the topic page, and what they are told.
POST_ACTIONS = {
    "dismiss": gettext_lazy("Flags dismissed."),
    "hide": gettext_lazy("Post hidden."),
    "unhide": gettext_lazy("Post shown again."),
    "approve": gettext_lazy("Post approved."),
    "reject": gettext_lazy("Post rejected."),
    "hide-topic": gettext_lazy("Topic hidden: only moderators see it."),
}


@require_POST
@moderator_required
@refusals_as_responses
def post_action_view(request, pk, action):
    if action not in POST_ACTIONS:
        raise Http404
    # A post outside the categories this moderator reads as a member is not found: its id says
    # nothing about it, as the queue showed nothing of it.
    post = _get(services.reviewable_posts(request.user).select_related("topic", "topic__category", "author"), pk)
    moderator, reason = request.user, _reason(request)
    if action == "dismiss":
        services.dismiss_flags(moderator, post, reason)
    elif action == "hide":
        services.hide_post(moderator, post, reason)
    elif action == "unhide":
        services.unhide_post(moderator, post, reason)
    elif action == "approve":
        services.approve_post(moderator, post)
    elif action == "reject":
        services.reject_post(moderator, post, reason)
    else:
        services.hide_topic(moderator, post.topic, reason)
    messages.success(request, POST_ACTIONS[action])
    return redirect(_next_url(request, reverse("forum:moderation_queue")))


# --- Moderators: topic tools --------------------------------------------------------------------

TOPIC_MESSAGES = {
    "hide": gettext_lazy("Topic hidden: only moderators see it."),
    "unhide": gettext_lazy("Topic visible again."),
    "lock": gettext_lazy("Topic locked: it takes no new replies."),
    "unlock": gettext_lazy("Topic unlocked."),
    "pin": gettext_lazy("Topic pinned."),
    "unpin": gettext_lazy("Topic unpinned."),
}


def _topic(pk, moderator) -> Topic:
    """A topic the moderator may see (hidden ones too): one in a category they cannot read as a
    member (the council's) is not found, as for any reader outside it."""
    return _get(visible_topics(moderator).select_related("category", "author"), pk)


@require_POST
@moderator_required
@refusals_as_responses
def topic_tool_view(request, pk, tool):
    if tool not in services.TOPIC_TOOLS:
        raise Http404
    topic = _topic(pk, request.user)
    services.set_topic_state(request.user, topic, tool, _reason(request))
    messages.success(request, TOPIC_MESSAGES[tool])
    return redirect(_next_url(request, topic.get_absolute_url()))


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=gettext_lazy("Move to"), queryset=Category.objects.all())
    reason = forms.CharField(label=gettext_lazy("Reason (optional)"), required=False, max_length=MAX_NOTE_CHARACTERS)

    def __init__(self, *args, topic, moderator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = visible_categories(moderator).exclude(pk=topic.category_id)


@moderator_required
def move_view(request, pk):
    topic = _topic(pk, request.user)
    form = MoveForm(request.POST if request.method == "POST" else None, topic=topic, moderator=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.move_topic(request.user, topic, form.cleaned_data["category"], form.cleaned_data["reason"])
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Topic moved to %(category)s.") % {"category": topic.category.name})
                return redirect(topic.get_absolute_url())
        else:
            status = 400
    return render(request, "forum/moderation/move.html", {"form": form, "topic": topic}, status=status)


class MergeForm(forms.Form):
    target = forms.CharField(
        label=gettext_lazy("Merge into topic"),
        max_length=300,
        help_text=gettext_lazy("The number or the address of the topic that keeps the conversation."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason (optional)"), required=False, max_length=MAX_NOTE_CHARACTERS)

    def __init__(self, *args, moderator, **kwargs):
        super().__init__(*args, **kwargs)
        self.moderator = moderator

    def clean_target(self):
        value = self.cleaned_data["target"].strip()
        digits = value.rstrip("/").split("/t/")[-1].split("/")[0] if "/t/" in value else value.lstrip("#")
        if parse_id(digits) is None:
            raise forms.ValidationError(_("Give the number or the address of a topic."))
        topic = visible_topics(self.moderator).filter(pk=parse_id(digits)).first()
        if topic is None:
            raise forms.ValidationError(_("There is no topic with this number."))
        return topic


@moderator_required
def merge_view(request, pk):
    topic = _topic(pk, request.user)
    form = MergeForm(request.POST if request.method == "POST" else None, moderator=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                services.merge_topics(request.user, topic, target, form.cleaned_data["reason"])
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Topics merged."))
                return redirect(target.get_absolute_url())
        else:
            status = 400
    return render(request, "forum/moderation/merge.html", {"form": form, "topic": topic}, status=status)


def topic_page(request, pk, slug):
    """The topic page, except that a merged topic's address leads to the topic it went into."""
    target = services.merged_into(pk) if pk <= MAX_ID and is_moderator(request.user) else None
    if target is None:
        try:
            return browsing.topic_page(request, pk, slug)
        except Http404:
            target = services.merged_into(pk) if pk <= MAX_ID else None
            if target is None:
                raise
    if not visible_topics(request.user).filter(pk=target.pk).exists():
        raise Http404
    return redirect(target.get_absolute_url(), permanent=False)


def topic_redirect(request, pk):
    target = services.merged_into(pk) if pk <= MAX_ID else None
    if target is not None and visible_topics(request.user).filter(pk=target.pk).exists():
        return redirect(target.get_absolute_url())
    return browsing.topic_redirect(request, pk)


# --- Moderators: members ------------------------------------------------------------------------


class SuspendForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty to suspend until a moderator lifts it."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (the member sees it)"),
        max_length=MAX_NOTE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE_CHARACTERS, "dir": "auto"}),
    )

    def clean_until(self):
        day = self.cleaned_data["until"]
        if day is None:
            return None
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return timezone.make_aware(datetime.combine(day, time.min))


def _member(pk):
    return _get(get_user_model().objects.all(), pk)


@moderator_required
def suspend_view(request, pk):
    member = _member(pk)
    form = SuspendForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.suspend_member(
                    request.user, member, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"]
                )
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("%(name)s is suspended.") % {"name": member.public_name})
                return redirect(_next_url(request, reverse("forum:member", args=[member.pk])))
        else:
            status = 400
    context = {"form": form, "member": member, "suspension": suspension_of(member), "next": request.GET.get("next", "")}
    return render(request, "forum/moderation/suspend.html", context, status=status)


@require_POST
@moderator_required
@refusals_as_responses
def unsuspend_view(request, pk):
    member = _member(pk)
    services.unsuspend_member(request.user, member, _reason(request))
    messages.success(request, _("%(name)s can take part again.") % {"name": member.public_name})
    return redirect(_next_url(request, reverse("forum:moderation_queue")))


@moderator_required
def log_view(request):
    """The audit log, newest first: actions on the topics of categories this moderator reads as
    a member (as the queue), and those on no topic (suspensions)."""
    readable = Q(topic__isnull=True) | Q(topic__category__in=categories_by_membership(request.user))
    actions = ModerationAction.objects.filter(readable).select_related("moderator", "topic", "post", "member")
    page = Paginator(actions, LOG_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/moderation/log.html", {"page_obj": page, "actions": page})
