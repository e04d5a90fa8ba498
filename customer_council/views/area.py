"""The council's home at /<lang>/council/: what is new since the last visit (ideas, status
changes, roadmap previews, meetings, pages, documents), the next meeting, the member's open action
items, the council pages and the member's own ideas.

The home's URL is public (invitations and the site link to it), so it alone answers a logged-in
outsider with a page saying what the area is (403) instead of the 404 of every other council URL
(customer_council.gate); it shows nothing of the council's content. Every response is
confidential (customer_council.privacy).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from customer_council.access import current_membership, is_manager, may_enter, pending_agreements, visible_meetings
from customer_council.documents import council_documents
from customer_council.models import ActionItem, CouncilPage, Idea, IdeaStatusChange, Membership, RoadmapItem
from customer_council.privacy import confidential
from customer_council.services.meetings import zone_of
from kb.visibility import visible_pages

#: How far back "new" reaches for a manager (who has no membership) or a member's first visit.
DEFAULT_NEW_WINDOW = timedelta(days=14)
#: At most this many of each kind of news are listed (the count says how many there are).
NEWS_LIMIT = 10
#: At most this many of the member's own ideas, and of their open action items, are listed.
OWN_IDEAS_LIMIT = 20
ACTION_ITEMS_LIMIT = 10


def _since(membership: Membership | None):
    if membership is not None and membership.last_visit_at is not None:
        return membership.last_visit_at
    return timezone.now() - DEFAULT_NEW_WINDOW


def home_context(request, membership: Membership | None) -> dict:
    """What the home shows this member (or manager), in a constant number of queries."""
    user, reader = request.user, request.reader
    language = get_language() or settings.LANGUAGE_CODE
    since = _since(membership)
    # The board's ideas (customer_council.services.ideas.board_ideas) for someone already let
    # in: not hidden by a moderator, not merged into another.
    ideas = Idea.objects.filter(hidden=False, merged_into__isnull=True)

    new_ideas = ideas.filter(created_at__gt=since).select_related("status").order_by("-created_at", "-pk")
    status_changes = (
        IdeaStatusChange.objects.filter(at__gt=since, previous__isnull=False, idea__in=ideas)
        .select_related("idea", "status")
        .order_by("-at", "-pk")
    )
    council_pages = visible_pages(CouncilPage.objects.filter(locale__language_code=language), reader)
    new_pages = council_pages.filter(last_published_at__gt=since).order_by("-last_published_at", "-pk")
    new_documents = council_documents().filter(created_at__gt=since).order_by("-created_at", "-pk")
    own_ideas = (
        Idea.objects.filter(author=user, hidden=False)
        .select_related("status", "merged_into")
        .order_by("-created_at", "-pk")
    )
    # Reached by the same rules as their own pages: every member sees every preview (the home is
    # for members and managers only); a cohort's meetings are its members'.
    meetings = visible_meetings(user)
    now = timezone.now()
    next_meeting = meetings.filter(starts_at__gte=now, cancelled_at__isnull=True).order_by("starts_at", "pk").first()
    new_meetings = meetings.filter(Q(created_at__gt=since) | Q(minutes_published_at__gt=since)).order_by(
        "-starts_at", "-pk"
    )
    new_previews = RoadmapItem.objects.filter(Q(created_at__gt=since) | Q(shipped_at__gt=since)).order_by(
        "-created_at", "-pk"
    )
    action_items = (
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN, meeting__in=meetings)
        .select_related("meeting")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return {
        "council_section": "home",
        "membership": membership,
        "since": since,
        "first_visit": membership is None or membership.last_visit_at is None,
        "new_ideas": list(new_ideas[:NEWS_LIMIT]),
        "new_idea_count": new_ideas.count(),
        "status_changes": list(status_changes[:NEWS_LIMIT]),
        "new_pages": list(new_pages[:NEWS_LIMIT]),
        "new_documents": list(new_documents[:NEWS_LIMIT]),
        "council_pages": list(council_pages.order_by("path")),
        "own_ideas": list(own_ideas[:OWN_IDEAS_LIMIT]),
        "next_meeting": next_meeting,
        "new_meetings": list(new_meetings[:NEWS_LIMIT]),
        "new_previews": list(new_previews[:NEWS_LIMIT]),
        "action_items": list(action_items[:ACTION_ITEMS_LIMIT]),
        "zone": zone_of(user),
    }


@confidential
def home(request):
    """The council home; see the module's docstring for who gets what."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    manager = is_manager(user)
    if not manager and not may_enter(user):
        if current_membership(user) is not None and pending_agreements(user):
            return redirect("customer_council:agreements")
        return render(request, "customer_council/area/outsider.html", status=403)
    membership = None if manager else current_membership(user)
    context = home_context(request, membership)
    if membership is not None:
        # Read "since" first, then move it: the next visit shows what is new after this one.
        Membership.objects.filter(pk=membership.pk).update(last_visit_at=timezone.now())
    return render(request, "customer_council/home.html", context)
