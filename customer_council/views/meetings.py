"""The council's meetings: the list, a meeting's page, its .ics, RSVPs, pre-reads, action items.

Thin views: each reads through customer_council.services.meetings (``visible_meetings``, so an
outsider, another cohort's meeting and a missing one all look the same: 404) and writes only by
calling a service, whose refusal (an ActionRefused) becomes a 4xx page with its message. Every
view is ``@confidential`` above ``@member_required``. Forms are plain POST forms that work without
JavaScript; static/js/council-meetings.js only shows UTC times in the browser's own zone.

A meeting's page costs the same number of queries whatever the number of agenda items, pre-reads,
RSVPs and action items: each list is one query, the reader's own RSVP and receipts one each, and
for managers the RSVPs and the receipts of every pre-read one each.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customer_council.access import is_manager
from customer_council.gate import member_required
from customer_council.models import RSVP, ActionItem, AgendaItem, PreReadReceipt
from customer_council.privacy import confidential
from customer_council.services import ideas as idea_service
from customer_council.services import meetings as meeting_service
from customer_council.views.common import limited, wants_json
from sitewide.errors import ActionRefused

#: Rate limits (settings.RATE_LIMITS).
WRITE_LIMIT = "council_post"
VOTE_LIMIT = "council_vote"
#: How many past meetings the list shows.
PAST_SHOWN = 50
#: The longest a meeting lasts (Meeting.duration_minutes): one that started earlier has ended.
LONGEST = timedelta(minutes=600)


def refused(request, error: ActionRefused, *, meeting=None):
    if wants_json(request):
        return JsonResponse({"error": str(error.message)}, status=error.status)
    context = {"message": error.message, "meeting": meeting, "council_section": "meetings"}
    return render(request, "customer_council/meetings/refused.html", context, status=error.status)


def meeting_for(request, pk):
    """The meeting as this reader may open it, or 404."""
    return get_object_or_404(meeting_service.visible_meetings(request.user).select_related("cohort"), pk=pk)


@confidential
@require_GET
@member_required
def meeting_list(request):
    """Upcoming meetings (soonest first), then past ones (latest first)."""
    now = timezone.now()
    visible = meeting_service.visible_meetings(request.user).select_related("cohort")
    recent = list(visible.filter(starts_at__gte=now - LONGEST).order_by("starts_at", "pk"))
    upcoming = [meeting for meeting in recent if meeting.ends_at > now]
    ended = [meeting for meeting in reversed(recent) if meeting.ends_at <= now]
    older = list(visible.filter(starts_at__lt=now - LONGEST).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    context = {
        "council_section": "meetings",
        "upcoming": upcoming,
        "past": (ended + older)[:PAST_SHOWN],
        "zone": meeting_service.zone_of(request.user),
    }
    return render(request, "customer_council/meetings/list.html", context)


def _detail_context(request, meeting) -> dict:
    user = request.user
    manager = is_manager(user)
    now = timezone.now()
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("idea"))
    idea_ids = {item.idea_id for item in agenda if item.idea_id}
    visible_idea_ids = (
        set(idea_service.visible_ideas(user).filter(pk__in=idea_ids).values_list("pk", flat=True))
        if idea_ids
        else set()
    )
    for item in agenda:
        item.linked_idea = item.idea if item.idea_id in visible_idea_ids else None
    pre_reads = list(meeting_service.visible_pre_reads(meeting))
    mine = set(
        PreReadReceipt.objects.filter(pre_read__meeting=meeting, user=user).values_list("pre_read_id", flat=True)
    )
    for pre_read in pre_reads:
        pre_read.read_by_me = pre_read.pk in mine
    my_rsvp = RSVP.objects.filter(meeting=meeting, user=user).first()
    actions = list(ActionItem.objects.filter(meeting=meeting).select_related("owner"))
    today = timezone.localdate()
    for item in actions:
        item.is_overdue = item.status == ActionItem.Status.OPEN and item.due_on is not None and item.due_on < today
        item.may_change = manager or item.owner_id == user.pk
    context = {
        "council_section": "meetings",
        "meeting": meeting,
        "zone": meeting_service.zone_of(user),
        "agenda": agenda,
        "pre_reads": pre_reads,
        "my_rsvp": my_rsvp,
        "responses": RSVP.Response.choices,
        "open_for_answers": meeting.cancelled_at is None and meeting.starts_at > now,
        "minutes_published": meeting.minutes_published_at is not None,
        "actions": actions,
        "is_manager": manager,
    }
    if manager:
        rsvps = list(RSVP.objects.filter(meeting=meeting).select_related("user").order_by("response", "at"))
        counts = dict(RSVP.objects.filter(meeting=meeting).values_list("response").annotate(n=Count("pk")).order_by())
        readers = defaultdict(list)
        receipts = PreReadReceipt.objects.filter(pre_read__meeting=meeting).select_related("user").order_by("read_at")
        for receipt in receipts:
            readers[receipt.pre_read_id].append(receipt)
        for pre_read in pre_reads:
            pre_read.receipts_shown = readers.get(pre_read.pk, [])
        context.update(
            rsvps=rsvps,
            rsvp_counts=[(label, counts.get(value, 0)) for value, label in RSVP.Response.choices],
        )
    return context


@confidential
@require_GET
@member_required
def detail(request, pk):
    meeting = meeting_for(request, pk)
    return render(request, "customer_council/meetings/detail.html", _detail_context(request, meeting))


@confidential
@require_GET
@member_required
def invite_ics(request, pk):
    """The meeting for the reader's calendar (the same event as the invitation email's file)."""
    meeting = meeting_for(request, pk)
    response = HttpResponse(
        meeting_service.ics_for(meeting, attendee=request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="council-meeting-{meeting.pk}.ics"'
    return response


@confidential
@require_POST
@member_required
@limited(VOTE_LIMIT)
def rsvp(request, pk):
    """``response`` = yes, maybe or no; answering again replaces the answer."""
    meeting = meeting_for(request, pk)
    try:
        answer = meeting_service.rsvp(request.user, meeting, request.POST.get("response"))
    except ActionRefused as error:
        return refused(request, error, meeting=meeting)
    if wants_json(request):
        return JsonResponse({"response": answer.response})
    messages.success(request, _("Thank you, your answer is saved."))
    return redirect("customer_council:meeting", pk=meeting.pk)


@confidential
@require_GET
@member_required
def open_pre_read(request, pk, pre_read):
    """Record that the reader opened the pre-read, then hand over to Wagtail's document view
    (which checks the collection's privacy again)."""
    meeting = meeting_for(request, pk)
    item = get_object_or_404(meeting_service.visible_pre_reads(meeting), pk=pre_read)
    try:
        meeting_service.record_read(request.user, item)
    except ActionRefused as error:
        return refused(request, error, meeting=meeting)
    return redirect(item.document.url)


@confidential
@require_POST
@member_required
@limited(WRITE_LIMIT)
def action_item(request, pk, item):
    """``action`` = complete or reopen, by the item's owner or a manager."""
    meeting = meeting_for(request, pk)
    found = get_object_or_404(ActionItem, meeting=meeting, pk=item)
    change = {"complete": meeting_service.complete, "reopen": meeting_service.reopen}.get(request.POST.get("action"))
    if change is None:
        return refused(request, ActionRefused(_("Choose to complete or to reopen the action.")), meeting=meeting)
    try:
        changed = change(found, request.user)
    except ActionRefused as error:
        return refused(request, error, meeting=meeting)
    if wants_json(request):
        return JsonResponse({"status": changed.status})
    return redirect(reverse("customer_council:meeting", args=[meeting.pk]) + "#actions")
