"""The council's feedback board: the list, an idea's page, and the forms that act on ideas.

Thin views: each reads through customer_council.services.ideas (``visible_ideas`` /
``board_ideas``, so an outsider, a hidden idea and a missing one all look the same: 404) and
writes only by calling a service, whose refusal (an ActionRefused) becomes a 4xx page or form
error with its message. Every view is behind ``member_required`` (members who may enter, and
managers); manager actions behind ``manager_required``. Forms are plain POST forms that work
without JavaScript; static/js/council-ideas.js sends the same forms with
``Accept: application/json`` and gets JSON back instead of a redirect.
"""

from __future__ import annotations

import json
from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customer_council.access import is_manager
from customer_council.forms_ideas import CommentForm, IdeaForm, MergeForm, StatusChangeForm, TeamForm
from customer_council.gate import manager_required, member_required
from customer_council.models import (
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaMerge,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
    Membership,
    ProductArea,
)
from customer_council.privacy import confidential
from customer_council.services import idea_notifications
from customer_council.services import ideas as idea_service
from customer_council.views.common import limited, wants_json
from sitewide.errors import ActionRefused
from sitewide.ids import parse_id
from sitewide.ratelimit import rate_limited
from sitewide.text import clean_line

IDEAS_PER_PAGE = 20
SORTS = {
    "votes": ("-vote_count", "-pk"),
    "trending": ("-trending_score", "-pk"),
    "newest": ("-created_at", "-pk"),
}
#: Rate limits (settings.RATE_LIMITS).
WRITE_LIMIT = "council_post"
VOTE_LIMIT = "council_vote"
SUGGEST_LIMIT = "suggest"


def refused(request, error: ActionRefused, *, idea: Idea | None = None):
    if wants_json(request):
        return JsonResponse({"error": str(error.message)}, status=error.status)
    context = {"message": error.message, "idea": idea, "council_section": "ideas"}
    return render(request, "customer_council/ideas/refused.html", context, status=error.status)


def idea_for(request, pk) -> Idea:
    """The idea as this reader may open it, or 404."""
    return get_object_or_404(idea_service.visible_ideas(request.user), pk=pk)


# --- The board ------------------------------------------------------------------------------------


def _tag_filter(queryset, tag: str):
    if connection.features.supports_json_field_contains:
        return queryset.filter(tags__contains=[tag])
    # SQLite has no JSON containment: match the tag as a whole JSON string in the stored list.
    return queryset.filter(tags__icontains=json.dumps(tag))


@confidential
@require_GET
@member_required
def board(request):
    """Ideas sorted by votes, trending or newest, filtered by status, product area or tag.

    The same queries on every page: the count, the page's ideas (status and area joined), the
    reader's votes among them, the statuses and areas for the filters, and the status changes
    since the last visit (plus the session, user and access checks of every council page).
    """
    user = request.user
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "votes"
    visible = idea_service.visible_ideas(user)
    ideas = visible.filter(merged_into__isnull=True).select_related("status", "product_area")
    status_id = parse_id(request.GET.get("status"))
    area_id = parse_id(request.GET.get("area"))
    tag = clean_line(request.GET.get("tag", ""))[:40]
    if status_id:
        ideas = ideas.filter(status_id=status_id)
    if area_id:
        ideas = ideas.filter(product_area_id=area_id)
    if tag:
        ideas = _tag_filter(ideas, tag)
    page = Paginator(ideas.order_by(*SORTS[sort]), IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    voted = set(
        IdeaVote.objects.filter(user=user, idea__in=[idea.pk for idea in rows]).values_list("idea_id", flat=True)
    )
    for idea in rows:
        idea.has_my_vote = idea.pk in voted
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "council_section": "ideas",
        "page_obj": page,
        "ideas": rows,
        "sort": sort,
        "sorts": [("votes", _("Most votes")), ("trending", _("Trending")), ("newest", _("Newest"))],
        "statuses": list(IdeaStatus.objects.exclude(kind=IdeaStatus.Kind.DUPLICATE)),
        "areas": list(ProductArea.objects.all()),
        "status_id": status_id,
        "area_id": area_id,
        "tag": tag,
        "page_query": query.urlencode(),
        "updates": list(idea_notifications.status_updates_for(user, visible)[:10]),
    }
    return render(request, "customer_council/ideas/board.html", context)


@confidential
@require_GET
@member_required
def similar(request):
    """``?q=`` words typed in a new idea's title: up to five ideas already on the board, as JSON."""
    return _similar(request)


@rate_limited(SUGGEST_LIMIT, json=True)
def _similar(request):
    query = str(request.GET.get("q", ""))[:200]
    results = [
        {
            "id": idea.pk,
            "title": idea.title,
            "status": idea.status.name,
            "votes": idea.vote_count,
            "url": reverse("customer_council:idea", args=[idea.pk]),
        }
        for idea in idea_service.similar_ideas(request.reader, query, language=get_language())
    ]
    return JsonResponse({"results": results})


# --- One idea -------------------------------------------------------------------------------------


def voters_summary(idea: Idea) -> dict[str, list[tuple[str, int]]]:
    """For managers only: the idea's voters counted by plan, segment and revenue band (each
    voter's latest membership; one query)."""
    latest = {}
    rows = (
        Membership.objects.filter(user__council_votes__idea=idea)
        .order_by("term_end", "pk")
        .values_list("user_id", "plan", "segment", "revenue_band")
    )
    for user_id, plan, segment, band in rows:
        latest[user_id] = (plan, segment, band)
    unknown = _("Not set")
    summary = {}
    for index, label in enumerate((_("Plan"), _("Segment"), _("Revenue band"))):
        counts = Counter(values[index] or unknown for values in latest.values())
        summary[label] = counts.most_common()
    return summary


def _detail_context(request, idea: Idea, **extra) -> dict:
    user = request.user
    manager = is_manager(user)
    comments = IdeaComment.objects.filter(idea=idea).select_related("author")
    if not manager:
        comments = comments.filter(hidden=False)
    context = {
        "council_section": "ideas",
        "idea": idea,
        "history": list(IdeaStatusChange.objects.filter(idea=idea).select_related("status", "changed_by")),
        "comments": list(comments),
        "voted": IdeaVote.objects.filter(idea=idea, user=user).exists(),
        "following": IdeaFollow.objects.filter(idea=idea, user=user).exists(),
        "is_manager": manager,
        "comment_form": CommentForm(),
        "open_for_taking_part": idea.merged_into_id is None and not idea.hidden,
    }
    if manager:
        context.update(
            {
                "status_form": StatusChangeForm(initial={"status": idea.status_id}),
                "team_form": TeamForm(initial={"team": idea.team_id}),
                "merge_form": MergeForm(),
                "voters_summary": voters_summary(idea),
                "active_merge": IdeaMerge.objects.filter(source=idea, undone_at__isnull=True)
                .select_related("target")
                .first(),
                "merged_here": list(
                    IdeaMerge.objects.filter(target=idea, undone_at__isnull=True).select_related("source")
                ),
            }
        )
    context.update(extra)
    return context


@confidential
@require_GET
@member_required
def detail(request, pk):
    """An idea's page. A merged idea sends members on to the idea it duplicates; managers see it
    (with the merge and its undo)."""
    idea = get_object_or_404(
        idea_service.visible_ideas(request.user).select_related(
            "status", "product_area", "team", "author", "merged_into"
        ),
        pk=pk,
    )
    if idea.merged_into_id is not None and not is_manager(request.user):
        return redirect("customer_council:idea", pk=idea.merged_into_id)
    return render(request, "customer_council/ideas/detail.html", _detail_context(request, idea))


@confidential
@require_GET
@member_required
def status_panel(request, pk):
    """The idea's status and history as its page shows them (fetched by the live page)."""
    idea = get_object_or_404(idea_service.visible_ideas(request.user).select_related("status"), pk=pk)
    history = list(IdeaStatusChange.objects.filter(idea=idea).select_related("status", "changed_by"))
    return render(request, "customer_council/ideas/includes/status_panel.html", {"idea": idea, "history": history})


@confidential
@require_http_methods(["GET", "POST"])
@member_required
@limited(WRITE_LIMIT)
def new_idea(request):
    form = IdeaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = idea_service.post_idea(
                    request.user,
                    data["title"],
                    data["problem"],
                    data["body"],
                    product_area=data["product_area"],
                    tags=data["tags"],
                )
            except ActionRefused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Your idea is on the board. You vote for it and follow it."))
                return redirect("customer_council:idea", pk=idea.pk)
        else:
            status = 400
    context = {"council_section": "ideas", "form": form}
    return render(request, "customer_council/ideas/new.html", context, status=status)


def _after_action(request, idea: Idea, payload: dict, fragment: str):
    """JSON for fetch() callers, the button's own form again for htmx (``HX-Request``; swapped in
    place), and otherwise back to the idea's page."""
    if wants_json(request) or request.headers.get("HX-Request"):
        idea.refresh_from_db(fields=["vote_count", "follower_count"])
    if wants_json(request):
        return JsonResponse({**payload, "vote_count": idea.vote_count, "follower_count": idea.follower_count})
    if request.headers.get("HX-Request"):
        context = {"idea": idea, "voted": payload.get("voted"), "following": payload.get("following")}
        return render(request, f"customer_council/ideas/includes/{fragment}.html", context)
    return redirect("customer_council:idea", pk=idea.pk)


@confidential
@require_POST
@member_required
@limited(VOTE_LIMIT)
def vote(request, pk):
    """Vote (``action=vote``, the default) or withdraw the vote (``action=unvote``)."""
    idea = idea_for(request, pk)
    withdraw = request.POST.get("action") == "unvote"
    try:
        (idea_service.unvote if withdraw else idea_service.vote)(request.user, idea)
    except ActionRefused as error:
        return refused(request, error, idea=idea)
    return _after_action(request, idea, {"voted": not withdraw}, "vote_form")


@confidential
@require_POST
@member_required
@limited(VOTE_LIMIT)
def follow(request, pk):
    """Follow (``action=follow``, the default) or stop following (``action=unfollow``)."""
    idea = idea_for(request, pk)
    stop = request.POST.get("action") == "unfollow"
    try:
        (idea_service.unfollow if stop else idea_service.follow)(request.user, idea)
    except ActionRefused as error:
        return refused(request, error, idea=idea)
    return _after_action(request, idea, {"following": not stop}, "follow_form")


@confidential
@require_POST
@member_required
@limited(WRITE_LIMIT)
def comment(request, pk):
    idea = get_object_or_404(idea_service.visible_ideas(request.user).select_related("status"), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            idea_service.comment(request.user, idea, form.cleaned_data["body"])
        except ActionRefused as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return redirect(reverse("customer_council:idea", args=[idea.pk]) + "#comments")
    else:
        status = 400
    return render(
        request, "customer_council/ideas/detail.html", _detail_context(request, idea, comment_form=form), status=status
    )


# --- Managers -------------------------------------------------------------------------------------


@confidential
@require_POST
@manager_required
def change_status(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("status"), pk=pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            idea_service.change_status(idea, form.cleaned_data["status"], form.cleaned_data["note"], by=request.user)
        except ActionRefused as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Status changed; voters and followers are told."))
            return redirect("customer_council:idea", pk=idea.pk)
    else:
        status = 400
    return render(
        request, "customer_council/ideas/detail.html", _detail_context(request, idea, status_form=form), status=status
    )


@confidential
@require_POST
@manager_required
def assign_team(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    form = TeamForm(request.POST)
    if not form.is_valid():
        return refused(request, ActionRefused(_("Choose one of the teams.")), idea=idea)
    idea_service.assign_team(idea, form.cleaned_data["team"], by=request.user)
    messages.success(request, _("Team saved."))
    return redirect("customer_council:idea", pk=idea.pk)


@confidential
@require_POST
@manager_required
def merge(request, pk):
    """Merge this idea (the duplicate) into the one whose number the manager gives."""
    source = get_object_or_404(Idea, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return refused(request, ActionRefused(_("Give the number of an existing idea.")), idea=source)
    target = Idea.objects.filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        return refused(request, ActionRefused(_("There is no idea with that number."), status=404), idea=source)
    try:
        idea_service.merge(source, target, by=request.user)
    except ActionRefused as error:
        return refused(request, error, idea=source)
    messages.success(request, _("Merged. Votes and followers moved to this idea."))
    return redirect("customer_council:idea", pk=target.pk)


@confidential
@require_POST
@manager_required
def undo_merge(request, pk):
    record = get_object_or_404(IdeaMerge, pk=pk)
    try:
        idea_service.undo_merge(record, by=request.user)
    except ActionRefused as error:
        return refused(request, error, idea=record.source)
    messages.success(request, _("Merge undone. The votes and followers are back."))
    return redirect("customer_council:idea", pk=record.source_id)
