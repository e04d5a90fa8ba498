"""The customer's consent to a story: approval links, the customer's answer, withdrawal and expiry.

The one place that writes stories.models.consent (links, the current consent, the append-only
ledger). A story's workflow is "Story approval": editorial review, then the customer-approval task,
whose start (Wagtail's ``task_submitted``, connected in stories.signals) calls
:func:`send_approval_link`. The customer needs no account: the link's random token is the
credential (only its SHA-256 is stored), it works once, for :data:`settings.STORY_APPROVAL_DAYS`,
and only for the revision it was sent for. Approving completes the task, so the workflow publishes
exactly that revision; asking for changes rejects it. A story is live only with a consent in force
for its live revision (:func:`covers`, checked before every admin publish in
stories.wagtail_hooks); withdrawal and expiry unpublish it at once and tell the staff.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState

from sitewide.errors import ActionRefused
from stories.models import ApprovalLink, Consent, ConsentEvent, StoryPage

logger = logging.getLogger(__name__)

Purpose = ApprovalLink.Purpose
Kind = ConsentEvent.Kind
#: Longest token accepted from a URL (token_urlsafe(32) is 43 characters).
MAX_TOKEN_LENGTH = 64
#: A withdrawal link works as long as the consent may last ("at any time").
WITHDRAW_LINK_DAYS = 3650
#: Who hears of a withdrawn or expired consent when settings.STORIES_NOTIFY_EMAIL is empty.
NOTIFY_GROUPS = ["Editors", "Moderators"]
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class LinkRefused(ActionRefused):
    """A link that cannot be used (unknown, used, replaced, expired, stale, for something else)."""


@dataclass(frozen=True)
class Scope:
    """What the customer allows a story to show."""

    name: bool = False
    logo: bool = False
    figures: bool = False
    photos: bool = False
    quotes: tuple[str, ...] = ()
    expires_on: date | None = None

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "logo": self.logo,
            "figures": self.figures,
            "photos": self.photos,
            "quotes": list(self.quotes),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _language(code: str) -> str:
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _send(template: str, context: dict, language: str, recipients: list[str]) -> None:
    """Render ``stories/emails/<template>_subject.txt`` and ``.txt`` in ``language`` and send them."""
    if not recipients:
        return
    with translation.override(_language(language)):
        context = {"site_name": settings.WAGTAIL_SITE_NAME} | context
        subject = " ".join(render_to_string(f"stories/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"stories/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def staff_recipients() -> list[str]:
    """settings.STORIES_NOTIFY_EMAIL, or the active members of the Editors and Moderators groups."""
    if settings.STORIES_NOTIFY_EMAIL:
        return [settings.STORIES_NOTIFY_EMAIL]
    users = get_user_model().objects.filter(groups__name__in=NOTIFY_GROUPS, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _notify_staff(template: str, story: StoryPage, **context) -> None:
    try:
        _send(template, {"story": story, **context}, settings.LANGUAGE_CODE, staff_recipients())
    except Exception:  # the change stands; a lost notice is logged, not a failed withdrawal
        logger.exception("Could not notify staff about story %s", story.pk)


# --- Which revision may be live ---------------------------------------------------------------


def covers(story: StoryPage, revision: Revision | None) -> bool:
    """Whether the story's consent is in force and was given for exactly this revision."""
    consent = Consent.objects.filter(story_id=story.pk).first()
    return (
        revision is not None
        and consent is not None
        and consent.is_active
        and consent.approved_revision_id is not None
        and consent.approved_revision_id == revision.pk
    )


# --- Sending links ------------------------------------------------------------------------------


def _new_link(story, purpose, *, email, language, days, revision=None, task_state=None) -> tuple[ApprovalLink, str]:
    """A fresh link (earlier open links of the story and purpose stop working) and its plain token."""
    now = timezone.now()
    ApprovalLink.objects.filter(story=story, purpose=purpose, used_at=None, withdrawn_at=None).update(withdrawn_at=now)
    token = secrets.token_urlsafe(32)
    link = ApprovalLink.objects.create(
        story=story,
        revision=revision,
        task_state=task_state,
        purpose=purpose,
        token_hash=hash_token(token),
        email=email,
        language=_language(language),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return link, token


def link_url(link: ApprovalLink, token: str) -> str:
    name = "stories:approve" if link.purpose == Purpose.APPROVE else "stories:withdraw"
    with translation.override(link.language):
        return _site_url(reverse(name, kwargs={"token": token}))


def send_approval_link(task_state: TaskState) -> ApprovalLink | None:
    """Email the customer's contact, in their language, a link to approve the task's revision.

    Called when the customer-approval task starts. A customer without a contact email gets no
    link (logged): staff add one to the customer and restart the workflow.
    """
    story = task_state.revision.as_object()
    customer = story.customer
    if not customer.contact_email:
        logger.warning("Story %s: customer %s has no contact email; no approval link sent", story.pk, customer.pk)
        return None
    with transaction.atomic():
        link, token = _new_link(
            story,
            Purpose.APPROVE,
            email=customer.contact_email,
            language=customer.contact_language,
            days=settings.STORY_APPROVAL_DAYS,
            revision=task_state.revision,
            task_state=task_state,
        )
    _send(
        "approval_request",
        {"story": story, "customer": customer, "url": link_url(link, token), "expires_at": link.expires_at},
        link.language,
        [link.email],
    )
    return link


def send_withdrawal_link(story: StoryPage, consent: Consent) -> ApprovalLink | None:
    """Confirm the consent to the customer's contact, with the link that withdraws it."""
    customer = story.customer
    email = consent.approved_by_email or customer.contact_email
    if not email:
        return None
    link, token = _new_link(
        story, Purpose.WITHDRAW, email=email, language=customer.contact_language, days=WITHDRAW_LINK_DAYS
    )
    _send(
        "consent_confirmed",
        {"story": story, "customer": customer, "consent": consent, "url": link_url(link, token)},
        link.language,
        [email],
    )
    return link


# --- Checking links -----------------------------------------------------------------------------


def find_link(token) -> ApprovalLink | None:
    """The link of a URL's token (not locked, for showing it), or None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
        return None
    return (
        ApprovalLink.objects.select_related("story", "story__customer", "revision", "task_state")
        .filter(token_hash=hash_token(token))
        .first()
    )


def check_link(link: ApprovalLink | None, purpose: str) -> ApprovalLink:
    """Refuse a link that cannot be used for ``purpose`` any more; return it."""
    if link is None or link.purpose != purpose:
        raise LinkRefused(_("This link is not valid. Check that you opened the whole link from the email."), status=404)
    if link.used_at is not None:
        raise LinkRefused(_("This link has already been used."), status=410)
    if link.withdrawn_at is not None:
        raise LinkRefused(_("This link has been replaced by a newer one. Use the newest email."), status=410)
    if link.expires_at <= timezone.now():
        raise LinkRefused(_("This link has expired. Ask the team to send you a new one."), status=410)
    if purpose == Purpose.APPROVE:
        story = link.story
        task_state = link.task_state
        if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise LinkRefused(_("This story is no longer waiting for your answer."), status=410)
        if link.revision_id is None or link.revision_id != story.latest_revision_id:
            raise LinkRefused(
                _(
                    "The story has changed since this link was sent, so it cannot be approved from "
                    "it. The team will send you the new version."
                ),
                status=409,
            )
    else:
        consent = Consent.objects.filter(story_id=link.story_id).first()
        if consent is None or not consent.is_active:
            raise LinkRefused(_("There is no consent in force for this story."), status=410)
    return link


def _open_link(token: str, purpose: str) -> ApprovalLink:
    """Inside a transaction: the link, locked, checked."""
    found = find_link(token)
    if found is not None:
        found = (
            ApprovalLink.objects.select_for_update()
            .select_related("story", "story__customer", "revision", "task_state")
            .filter(pk=found.pk)
            .first()
        )
    return check_link(found, purpose)


def quote_choices(revision: Revision) -> list[tuple[str, str]]:
    """(block id, "person: quote") of each pull quote in the revision, for the scope form."""
    story = revision.as_object()
    return [(quote.id, f"{quote.value['person']}: {quote.value['quote']}") for quote in story.quotes]


# --- The customer's answer ----------------------------------------------------------------------


def approve(token: str, scope: Scope, *, name: str, comment: str = "") -> Consent:
    """The customer approves the link's revision with ``scope``: the consent and its ledger line
    are written, the link is used up, and the task is approved (the workflow then publishes that
    revision). Anything wrong with the link or scope: refused, nothing written."""
    with transaction.atomic():
        link = _open_link(token, Purpose.APPROVE)
        story = link.story
        allowed_quotes = {quote_id for quote_id, _label in quote_choices(link.revision)}
        if not set(scope.quotes) <= allowed_quotes:
            raise ActionRefused(_("A chosen quote is not in this story."), status=400)
        now = timezone.now()
        if scope.expires_on is not None and scope.expires_on <= timezone.localdate():
            raise ActionRefused(_("The consent's end date must be in the future."), status=400)
        consent, _created = Consent.objects.select_for_update().get_or_create(story=story)
        previous = _scope_of(consent) if consent.is_active else None
        consent.show_name, consent.show_logo = scope.name, scope.logo
        consent.show_figures, consent.show_photos = scope.figures, scope.photos
        consent.quote_ids = list(scope.quotes)
        consent.expires_on = scope.expires_on
        consent.approved_revision = link.revision
        consent.approved_by_name, consent.approved_by_email = name, link.email
        consent.approved_at, consent.withdrawn_at = now, None
        consent.save()
        kind = Kind.SCOPE_CHANGED if previous is not None and previous != scope else Kind.GRANTED
        _record(story, kind, scope, revision=link.revision, name=name, email=link.email, comment=comment, at=now)
        link.used_at = now
        link.save(update_fields=["used_at"])
        link.task_state.specific.approve(user=None, comment=comment)
    story = StoryPage.objects.get(pk=story.pk)
    try:
        send_withdrawal_link(story, consent)
    except Exception:  # the approval stands; the team can resend the confirmation
        logger.exception("Could not send the consent confirmation of story %s", story.pk)
    return consent


def request_changes(token: str, *, name: str, comment: str) -> ConsentEvent:
    """The customer asks for changes: the task is rejected with their comment (the editors see it
    in the workflow), the ledger records it, and the link is used up."""
    if not comment.strip():
        raise ActionRefused(_("Say what should change."), status=400)
    with transaction.atomic():
        link = _open_link(token, Purpose.APPROVE)
        now = timezone.now()
        event = _record(
            link.story, Kind.CHANGES_REQUESTED, None, revision=link.revision, name=name, email=link.email,
            comment=comment, at=now,
        )  # fmt: skip
        link.used_at = now
        link.save(update_fields=["used_at"])
        link.task_state.specific.reject(user=None, comment=comment)
    _notify_staff("staff_changes_requested", link.story, comment=comment, by=name or link.email)
    return event


def withdraw(token: str, *, comment: str = "") -> Consent:
    """The customer withdraws consent: the story is unpublished at once, the ledger records it,
    open approval links stop working, and the staff are told."""
    with transaction.atomic():
        link = _open_link(token, Purpose.WITHDRAW)
        story = link.story
        consent = Consent.objects.select_for_update().get(story=story)
        now = timezone.now()
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        _record(story, Kind.WITHDRAWN, _scope_of(consent), name=consent.approved_by_name, email=link.email,
                comment=comment, at=now)  # fmt: skip
        link.used_at = now
        link.save(update_fields=["used_at"])
        _end_publication(story, now)
    _notify_staff("staff_consent_ended", story, kind=Kind.WITHDRAWN.label, comment=comment)
    return consent


def expire_consents(today: date | None = None) -> list[StoryPage]:
    """Every consent whose end date has passed: its story is unpublished, the ledger records the
    expiry once, and the staff are told. Idempotent (``manage.py stories_consent --expire``)."""
    today = today or timezone.localdate()
    expired_since_approval = ConsentEvent.objects.filter(
        story_id=OuterRef("story_id"), kind=Kind.EXPIRED, at__gte=OuterRef("approved_at")
    )
    due = (
        Consent.objects.filter(approved_at__isnull=False, withdrawn_at=None, expires_on__lt=today)
        .exclude(Exists(expired_since_approval))
        .values_list("pk", flat=True)
    )
    ended = []
    for pk in list(due):
        with transaction.atomic():
            consent = Consent.objects.select_for_update().select_related("story").get(pk=pk)
            story = StoryPage.objects.get(pk=consent.story_id)
            now = timezone.now()
            _record(story, Kind.EXPIRED, _scope_of(consent), at=now)
            _end_publication(story, now)
        _notify_staff("staff_consent_ended", story, kind=Kind.EXPIRED.label, comment="")
        ended.append(story)
    return ended


# --- Helpers -------------------------------------------------------------------------------------


def _scope_of(consent: Consent) -> Scope:
    return Scope(
        name=consent.show_name,
        logo=consent.show_logo,
        figures=consent.show_figures,
        photos=consent.show_photos,
        quotes=tuple(consent.quote_ids or ()),
        expires_on=consent.expires_on,
    )


def _record(story, kind, scope: Scope | None, *, revision=None, name="", email="", comment="", at) -> ConsentEvent:
    return ConsentEvent.objects.create(
        story=story,
        customer_id=story.customer_id,
        kind=kind,
        scope=scope.as_json() if scope is not None else {},
        revision=revision,
        by_name=name[:120],
        by_email=email,
        comment=comment,
        at=at,
    )


def _end_publication(story: StoryPage, now) -> None:
    """Unpublish the story (search, feeds and sitemap follow Wagtail's unpublish), stop its open
    approval links and cancel a workflow in progress."""
    ApprovalLink.objects.filter(story=story, used_at=None, withdrawn_at=None).update(withdrawn_at=now)
    workflow_state = story.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=None)
    if story.live:
        story.unpublish(user=None, log_action=True)
