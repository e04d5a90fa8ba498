"""Council meetings: scheduling, invitations (.ics), RSVPs, read receipts, minutes, action items.

Every write to a meeting and to what members do with it goes through these functions; views,
the Wagtail admin and the ``council_action_items`` command call them and write nothing
themselves. Who may act is decided *at the moment of the action* (customer_council.access), and
who may see a meeting is :func:`visible_meetings`: managers see every meeting, members who may
enter see the whole council's meetings and those of a cohort they sit on now, nobody else sees
any. A refusal is an :class:`~sitewide.errors.ActionRefused` with a message the person can act on
and its HTTP status; a refused action writes nothing (each function is one transaction).

Emails (invitations, cancellations, overdue reminders) go to each recipient alone, in their
preferred language, with times in their time zone (``User.time_zone``; else UTC, said so), and
only to accounts that may enter the council when the mail is sent (the rule of idea
notifications, :func:`~customer_council.services.idea_notifications.allowed_recipients`) and may
see that meeting. The invitation carries an iCalendar file: ``UID`` is the meeting's ``uid`` and
``SEQUENCE`` its ``sequence``, bumped whenever the time, length, place or title changes, so a
calendar updates the event it holds instead of adding a second one.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from customer_council.access import MANAGERS_GROUP, is_manager, may_enter, visible_meetings
from customer_council.documents import council_documents
from customer_council.models import RSVP, ActionItem, Meeting, Membership, PreRead, PreReadReceipt
from customer_council.services.idea_notifications import allowed_recipients
from customer_council.services.ideas import render_markdown
from sitewide.errors import ActionRefused
from sitewide.text import clean_line, has_nul

logger = logging.getLogger(__name__)

#: Changing one of these makes calendars replace the event: the iCalendar SEQUENCE goes up.
CALENDAR_FIELDS = ("title", "starts_at", "duration_minutes", "location")
MAX_TITLE = Meeting._meta.get_field("title").max_length
MAX_LOCATION = Meeting._meta.get_field("location").max_length
MAX_DESCRIPTION = Meeting._meta.get_field("description").max_length
#: An owner of an overdue action item is reminded at most this often.
REMINDER_INTERVAL = timedelta(days=1)
#: The iCalendar product id of our invitations.
PRODID = "-//Customer advisory council//Meetings//EN"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class NotAllowed(ActionRefused):
    """The person may not do this (now)."""

    status = 403


class NotFound(ActionRefused):
    """The meeting (or its part) is not there for this person: the same as not existing."""

    status = 404


class Conflict(ActionRefused):
    """The meeting's state forbids this (cancelled, already over)."""

    status = 409


# --- Who sees what --------------------------------------------------------------------------------


def may_see(user, meeting: Meeting) -> bool:
    return visible_meetings(user).filter(pk=meeting.pk).exists()


def visible_pre_reads(meeting: Meeting) -> QuerySet:
    """The meeting's pre-reads whose document is in the council's private collection (a document
    moved out of it is never listed or linked)."""
    return PreRead.objects.filter(meeting=meeting, document__in=council_documents()).select_related("document")


def _require_manager(user) -> None:
    if not is_manager(user):
        raise NotAllowed(_("Only council managers can do this."))


def _visible_locked(user, meeting: Meeting) -> Meeting:
    """The meeting re-read under a row lock, if this person may see it now."""
    locked = visible_meetings(user).select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        raise NotFound(_("This meeting is not there."))
    return locked


# --- Cleaning what managers type ------------------------------------------------------------------


def clean_title(title) -> str:
    if has_nul(title):
        raise ActionRefused(_("The text contains a NUL character. Remove it and try again."))
    title = clean_line(title)
    if not title:
        raise ActionRefused(_("Give the meeting a title."))
    if len(title) > MAX_TITLE:
        raise ActionRefused(_("The title can be at most %(limit)s characters long.") % {"limit": MAX_TITLE})
    return title


def clean_location(location) -> str:
    if has_nul(location):
        raise ActionRefused(_("The text contains a NUL character. Remove it and try again."))
    location = clean_line(location)
    if len(location) > MAX_LOCATION:
        raise ActionRefused(_("The place can be at most %(limit)s characters long.") % {"limit": MAX_LOCATION})
    return location


def _clean_when(starts_at, duration_minutes) -> tuple[datetime, int]:
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise ActionRefused(_("Give the start as a date and time with its time zone."))
    try:
        duration = int(duration_minutes)
    except (TypeError, ValueError) as error:
        raise ActionRefused(_("Give the length in minutes.")) from error
    if not 5 <= duration <= 600:
        raise ActionRefused(_("A meeting lasts between 5 and 600 minutes."))
    return starts_at.astimezone(UTC), duration


# --- Scheduling -----------------------------------------------------------------------------------


def schedule(by, *, title, starts_at, duration_minutes=60, location="", description="", cohort=None) -> Meeting:
    """A new meeting (for ``cohort``, or the whole council); invitations go out separately."""
    _require_manager(by)
    starts_at, duration = _clean_when(starts_at, duration_minutes)
    description, description_html = render_markdown(description, limit=MAX_DESCRIPTION, required=False)
    now = timezone.now()
    with transaction.atomic():
        return Meeting.objects.create(
            cohort=cohort,
            title=clean_title(title),
            starts_at=starts_at,
            duration_minutes=duration,
            location=clean_location(location),
            description=description,
            description_html=description_html,
            created_by=by,
            created_at=now,
            updated_at=now,
        )


def update(meeting: Meeting, by, **fields) -> Meeting:
    """Change a meeting's details; a change of time, length, place or title bumps ``sequence``."""
    _require_manager(by)
    editable = {"title", "starts_at", "duration_minutes", "location", "description", "cohort"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        values = {
            "title": locked.title,
            "starts_at": locked.starts_at,
            "duration_minutes": locked.duration_minutes,
            "location": locked.location,
            "description": locked.description,
            "cohort": locked.cohort,
        } | fields
        values["title"] = clean_title(values["title"])
        values["location"] = clean_location(values["location"])
        values["starts_at"], values["duration_minutes"] = _clean_when(values["starts_at"], values["duration_minutes"])
        values["description"], description_html = render_markdown(
            values["description"], limit=MAX_DESCRIPTION, required=False
        )
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, values[name])
        locked.description_html = description_html
        locked.updated_at = timezone.now()
        if any(name in CALENDAR_FIELDS for name in changed):
            locked.sequence += 1
        locked.save()
    return locked


def save_from_admin(form, by, *, creating: bool) -> Meeting:
    """Save the admin's meeting form (details and inline agenda, pre-reads, action items) the way
    :func:`update` would: the description rendered, ``sequence`` bumped on a calendar change."""
    _require_manager(by)
    meeting = form.instance
    with transaction.atomic():
        if not creating:
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        meeting.title = clean_title(meeting.title)
        meeting.location = clean_location(meeting.location)
        meeting.description, meeting.description_html = render_markdown(
            meeting.description, limit=MAX_DESCRIPTION, required=False
        )
        meeting.updated_at = timezone.now()
        if creating:
            meeting.created_by = by
        elif any(name in CALENDAR_FIELDS for name in form.changed_data):
            meeting.sequence = Meeting.objects.get(pk=meeting.pk).sequence + 1
        saved = form.save()
        # Action items a manager marked done (or open again) in the form, as complete/reopen would.
        items = ActionItem.objects.filter(meeting=saved)
        items.filter(status=ActionItem.Status.DONE, completed_at__isnull=True).update(completed_at=timezone.now())
        items.filter(status=ActionItem.Status.OPEN, completed_at__isnull=False).update(completed_at=None)
        return saved


def cancel(meeting: Meeting, by) -> list:
    """Cancel the meeting; if invitations went out, each invitee who may still see it gets the
    cancellation (``METHOD:CANCEL``, ``STATUS:CANCELLED``), so calendars drop the event.
    Returns the accounts told."""
    _require_manager(by)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.cancelled_at is not None:
            raise Conflict(_("This meeting is already cancelled."))
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.updated_at = locked.cancelled_at
        locked.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    if locked.invitations_sent_at is None:
        return []
    return _email_invitees(locked, "meeting_cancelled", method="CANCEL")


def publish_minutes(meeting: Meeting, by) -> Meeting:
    """Show the minutes to members (a manager wrote them in the admin)."""
    _require_manager(by)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not strip_tags(locked.minutes or "").strip():
            raise ActionRefused(_("Write the minutes before publishing them."))
        if locked.minutes_published_at is None:
            locked.minutes_published_at = timezone.now()
            locked.save(update_fields=["minutes_published_at"])
    return locked


# --- Invitations ----------------------------------------------------------------------------------


def invitee_ids(meeting: Meeting, *, include_managers: bool = False) -> set[int]:
    """The accounts with an active seat, in term today, on the meeting's cohort (or any cohort
    when it is for the whole council); and the council managers if asked."""
    today = timezone.localdate()
    seats = Membership.objects.filter(
        state=Membership.State.ACTIVE, user__isnull=False, term_start__lte=today, term_end__gte=today
    )
    if meeting.cohort_id is not None:
        seats = seats.filter(cohort_id=meeting.cohort_id)
    ids = set(seats.values_list("user_id", flat=True))
    if include_managers:
        ids |= set(
            get_user_model().objects.filter(groups__name=MANAGERS_GROUP, is_active=True).values_list("pk", flat=True)
        )
    return ids


def send_invitations(meeting: Meeting, by=None, *, include_managers: bool = False) -> list:
    """Email the invitation, with its .ics, to every invitee who may enter the council now.

    ``by`` is the manager who sends it (None for a scheduler). A cancelled or past meeting is
    refused. Returns the accounts invited (a failed mail is logged, and the others still go).
    """
    if by is not None:
        _require_manager(by)
    with transaction.atomic():
        # of=self: PostgreSQL locks no row on the nullable side of an outer join (select_related).
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=meeting.pk)
        if locked.cancelled_at is not None:
            raise Conflict(_("This meeting is cancelled: there is nothing to invite to."))
        if locked.starts_at <= timezone.now():
            raise Conflict(_("This meeting has already started or taken place."))
        locked.invitations_sent_at = timezone.now()
        locked.save(update_fields=["invitations_sent_at"])
    return _email_invitees(locked, "meeting_invitation", method="REQUEST", include_managers=include_managers)


def _email_invitees(meeting: Meeting, template: str, *, method: str, include_managers: bool = False) -> list:
    recipients = [
        user
        for user in allowed_recipients(invitee_ids(meeting, include_managers=include_managers))
        if is_manager(user) or may_see(user, meeting)
    ]
    for user in recipients:
        try:
            _email_meeting(meeting, user, template, method=method)
        except Exception:  # the meeting is saved and shown in the site; one failed mail stops no other
            logger.exception("Could not email meeting %s (%s) to %s", meeting.pk, template, user.pk)
    return recipients


def zone_of(user) -> ZoneInfo | None:
    """The user's chosen time zone, or None (no choice, or a name this system does not know)."""
    name = getattr(user, "time_zone", "") or ""
    if not name or name not in available_timezones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_times(meeting: Meeting, user) -> dict:
    """The start and end formatted in the user's zone (else UTC), and the zone's name, in the
    active language."""
    zone = zone_of(user)
    tz = zone or UTC
    starts, ends = timezone.localtime(meeting.starts_at, tz), timezone.localtime(meeting.ends_at, tz)
    return {
        "starts": date_format(starts, "DATETIME_FORMAT"),
        "ends": date_format(ends, "TIME_FORMAT")
        if starts.date() == ends.date()
        else date_format(ends, "DATETIME_FORMAT"),
        "zone": zone.key if zone is not None else "UTC",
    }


def meeting_url(meeting: Meeting) -> str:
    """The meeting page's absolute URL, in the active language."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("customer_council:meeting", args=[meeting.pk])


def _email_meeting(meeting: Meeting, user, template: str, *, method: str) -> None:
    language = user.preferred_language if user.preferred_language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "meeting": meeting,
            "recipient": user,
            "when": local_times(meeting, user),
            "url": meeting_url(meeting),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string(f"customer_council/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"customer_council/emails/{template}.txt", context)
        calendar = ics_for(meeting, method=method, attendee=user)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach("invite.ics", calendar, f"text/calendar; method={method}; charset=utf-8")
    message.send()


def _plain(text: str) -> str:
    """Markdown as plain text for a calendar: no tags, no emphasis marks, no runs of blank lines."""
    text = strip_tags(text or "")
    text = re.sub(r"[*_`#>]+", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def ics_for(meeting: Meeting, *, method: str = "REQUEST", attendee=None) -> bytes:
    """The meeting as an iCalendar file (RFC 5545): times in UTC, the page's URL (in the active
    language), ``STATUS:CANCELLED`` for a cancelled meeting."""
    # Imported here: icalendar takes 0.2 s to import, paid by every command and worker otherwise.
    from icalendar import Calendar, Event, vCalAddress, vText

    if meeting.cancelled_at is not None:
        method = "CANCEL"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{meeting.uid}@council")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    url = meeting_url(meeting)
    description = _plain(meeting.description)
    event.add("description", f"{description}\n\n{url}" if description else url)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(settings.WAGTAIL_SITE_NAME)
    event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.public_name)
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address)
    calendar.add_component(event)
    return calendar.to_ical()


# --- What members do ------------------------------------------------------------------------------


def rsvp(user, meeting: Meeting, response) -> RSVP:
    """The member's answer (yes, maybe, no); answering again replaces the earlier answer."""
    if not isinstance(response, str) or has_nul(response) or response not in RSVP.Response.values:
        raise ActionRefused(_("Answer yes, maybe or no."))
    if not (may_enter(user) or is_manager(user)):
        raise NotAllowed(_("Only council members can answer invitations."))
    with transaction.atomic():
        locked = _visible_locked(user, meeting)
        if locked.cancelled_at is not None:
            raise Conflict(_("This meeting was cancelled, so it takes no answers."))
        if locked.starts_at <= timezone.now():
            raise Conflict(_("This meeting has already started or taken place, so it takes no answers."))
        answer, _created = RSVP.objects.update_or_create(
            meeting=locked, user=user, defaults={"response": response, "at": timezone.now()}
        )
    return answer


def record_read(user, pre_read: PreRead) -> PreReadReceipt:
    """Note that ``user`` opened the pre-read (the first time only; later opens change nothing)."""
    if not (may_enter(user) or is_manager(user)):
        raise NotAllowed(_("Only council members can open pre-reads."))
    with transaction.atomic():
        _visible_locked(user, pre_read.meeting)
        if not visible_pre_reads(pre_read.meeting).filter(pk=pre_read.pk).exists():
            raise NotFound(_("This document is not there."))
        existing = PreReadReceipt.objects.filter(pre_read=pre_read, user=user).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return PreReadReceipt.objects.create(pre_read=pre_read, user=user)
        except IntegrityError:  # the same member opened it twice at once
            return PreReadReceipt.objects.get(pre_read=pre_read, user=user)


# --- Action items ---------------------------------------------------------------------------------


def _locked_item(item: ActionItem, by) -> ActionItem:
    """The action item under a row lock, if ``by`` may change it: its owner (who may still see
    the meeting) or a manager."""
    if not (may_enter(by) or is_manager(by)):
        raise NotAllowed(_("Only council members can do this."))
    locked = ActionItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None or not may_see(by, Meeting(pk=locked.meeting_id)):
        raise NotFound(_("This action item is not there."))
    if locked.owner_id != by.pk and not is_manager(by):
        raise NotAllowed(_("Only the owner of an action item or a council manager can change it."))
    return locked


def complete(item: ActionItem, by) -> ActionItem:
    """Mark the action done (idempotent)."""
    with transaction.atomic():
        locked = _locked_item(item, by)
        if locked.status == ActionItem.Status.DONE:
            return locked
        if locked.status == ActionItem.Status.DROPPED and not is_manager(by):
            raise Conflict(_("This action was dropped; ask a council manager to reopen it."))
        locked.status, locked.completed_at = ActionItem.Status.DONE, timezone.now()
        locked.save(update_fields=["status", "completed_at"])
    return locked


def reopen(item: ActionItem, by) -> ActionItem:
    """Open the action again (idempotent)."""
    with transaction.atomic():
        locked = _locked_item(item, by)
        if locked.status == ActionItem.Status.OPEN:
            return locked
        locked.status, locked.completed_at, locked.reminded_at = ActionItem.Status.OPEN, None, None
        locked.save(update_fields=["status", "completed_at", "reminded_at"])
    return locked


def remind_overdue(now: datetime | None = None) -> list[ActionItem]:
    """Email the owner of each open action item past its due date, at most once a day, if the
    owner may still see its meeting (or manages the council). Returns the items reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today, owner__is_active=True)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_INTERVAL))
        .order_by("due_on", "pk")
    )
    reminded = []
    for candidate in due:
        with transaction.atomic():
            # of=self: PostgreSQL locks no row on the nullable side of an outer join (select_related).
            item = (
                ActionItem.objects.select_for_update(of=("self",))
                .select_related("meeting", "owner")
                .get(pk=candidate.pk)
            )
            if item.status != ActionItem.Status.OPEN or (
                item.reminded_at is not None and item.reminded_at > now - REMINDER_INTERVAL
            ):
                continue  # another run got here first
            owner = item.owner
            if owner is None or not allowed_recipients([owner.pk]) or not may_see(owner, item.meeting):
                continue
            item.reminded_at = now
            item.save(update_fields=["reminded_at"])
        _email_reminder(item, owner)
        reminded.append(item)
    return reminded


def _email_reminder(item: ActionItem, owner) -> None:
    language = owner.preferred_language if owner.preferred_language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            context = {
                "item": item,
                "meeting": item.meeting,
                "recipient": owner,
                "url": meeting_url(item.meeting) + "#actions",
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = " ".join(
                render_to_string("customer_council/emails/meeting_action_overdue_subject.txt", context).split()
            )
            body = render_to_string("customer_council/emails/meeting_action_overdue.txt", context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email]).send()
    except Exception:  # the reminder is recorded; a failed mail is logged and tried again tomorrow
        logger.exception("Could not email the overdue reminder of action item %s", item.pk)
