"""Every change to a council membership, in one place: nominate, invite, accept, decline, renew,
revoke, expire, remind, and agreeing to the charter and confidentiality agreement.

Each function checks who may do it, writes the change and its :class:`MembershipEvent` in one
transaction, and calls :func:`customer_council.access.sync_access` wherever the answer to "may
this person enter the council now?" can change. Views, the Wagtail admin and the
``council_memberships`` command all call these; none of them writes a membership itself.

Invitation links carry a random token (``secrets.token_urlsafe``); only its SHA-256 is stored, so
neither a database dump nor the admin can hand out a working link. Refusals are
:class:`InvitationRefused` / :class:`sitewide.errors.ActionRefused` with a message the person can
act on and a 4xx status.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customer_council.access import MANAGERS_GROUP, current_membership, current_versions, is_manager, sync_access
from customer_council.models import Agreement, AgreementAcceptance, Invitation, Membership, MembershipEvent
from sitewide.errors import ActionRefused
from sitewide.text import clean_line, has_nul

logger = logging.getLogger(__name__)

State = Membership.State
Kind = MembershipEvent.Kind
#: Longest invitation token accepted from a URL (token_urlsafe(32) is 43 characters).
MAX_TOKEN_LENGTH = 100
#: A manager's reason for revoking is kept (in the audit row) up to this length.
MAX_REASON_LENGTH = 300
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class InvitationRefused(ActionRefused):
    """An invitation link that cannot be used (unknown, used, expired, withdrawn, someone else's)."""


class NotAllowed(ActionRefused):
    """Only council managers may do this (HTTP 403)."""

    status = 403


# --- Helpers -------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _record(membership: Membership, kind: str, actor=None, **detail) -> MembershipEvent:
    return MembershipEvent.objects.create(membership=membership, kind=kind, actor=actor, detail=detail)


def _require_manager(user) -> None:
    if not is_manager(user):
        raise NotAllowed(_("Only council managers may change council memberships."))


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(template: str, context: dict, language: str, recipient: str) -> None:
    """Render ``emails/<template>_subject.txt`` and ``.txt`` in ``language`` and send them."""
    with translation.override(language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE):
        context = {"site_name": settings.WAGTAIL_SITE_NAME} | context
        subject = " ".join(render_to_string(f"customer_council/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"customer_council/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


def _locked(membership: Membership) -> Membership:
    # of=self: PostgreSQL locks no row on the nullable side of an outer join (select_related).
    return Membership.objects.select_for_update(of=("self",)).select_related("cohort", "user").get(pk=membership.pk)


def _withdraw_open_invitations(membership: Membership, now) -> int:
    return membership.invitations.filter(used_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=now)


def managers():
    """Everyone who runs the council and is reminded of renewals (active accounts)."""
    return get_user_model().objects.filter(is_active=True, groups__name=MANAGERS_GROUP).distinct().order_by("pk")


# --- Nominate and invite -------------------------------------------------------------------


def nominate(
    cohort, email: str, language: str, term_start: date, term_end: date, by, user=None, **details
) -> Membership:
    """Give ``email`` a seat on ``cohort`` (state *invited*); the invitation is sent by :func:`invite`.

    ``details`` may set the directory fields (company, role, region) and the staff-only weighting
    (segment, plan, revenue_band).
    """
    _require_manager(by)
    email = clean_line(email).lower() if not has_nul(email) else ""
    try:
        validate_email(email)
    except ValidationError as error:
        raise ActionRefused(_("Enter a valid email address.")) from error
    if language not in LANGUAGE_CODES:
        raise ActionRefused(_("Choose one of the site's languages."))
    if not term_start or not term_end or term_end < term_start:
        raise ActionRefused(_("The term must end on or after the day it starts."))
    if term_end < timezone.localdate():
        raise ActionRefused(_("The term has already ended: choose a later end date."))
    if user is not None and not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        raise ActionRefused(_("That account does not use this email address."))
    allowed = {"company", "role", "region", "segment", "plan", "revenue_band"}
    unknown = set(details) - allowed
    if unknown:
        raise TypeError(f"unknown membership fields: {sorted(unknown)}")
    cleaned = {
        name: clean_line(value)[: Membership._meta.get_field(name).max_length] for name, value in details.items()
    }
    try:
        with transaction.atomic():
            if Membership.objects.filter(cohort=cohort, email__iexact=email).exists():
                raise ActionRefused(_("This email address already has a seat on this cohort."), status=409)
            membership = Membership.objects.create(
                cohort=cohort,
                email=email,
                language=language,
                term_start=term_start,
                term_end=term_end,
                nominated_by=by,
                state=State.INVITED,
                **cleaned,
            )
            _record(
                membership,
                Kind.INVITED,
                by,
                step="nominated",
                term_start=term_start.isoformat(),
                term_end=term_end.isoformat(),
            )
    except IntegrityError as error:  # a concurrent nomination of the same address
        raise ActionRefused(_("This email address already has a seat on this cohort."), status=409) from error
    return membership


def invite(membership: Membership, by) -> Invitation:
    """Send (or send again) the invitation email, in the invitee's language, with a new link.

    An earlier unused link of the membership stops working. The returned invitation carries the
    plain ``token`` and ``url`` as attributes (never stored). If the email cannot be sent, nothing
    is saved and the refusal says so.
    """
    _require_manager(by)
    now = timezone.now()
    with transaction.atomic():
        membership = _locked(membership)
        if membership.state not in (State.INVITED, State.DECLINED):
            raise ActionRefused(_("Only a nominated (or declined) membership can be invited."), status=409)
        if membership.term_end < timezone.localdate():
            raise ActionRefused(_("The term has already ended: renew it before inviting."), status=409)
        withdrawn = _withdraw_open_invitations(membership, now)
        if membership.state == State.DECLINED:
            membership.state = State.INVITED
            membership.save(update_fields=["state"])
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            membership=membership,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.COUNCIL_INVITATION_DAYS),
            sent_by=by,
        )
        _record(membership, Kind.INVITED, by, step="sent", invitation=invitation.pk, replaced=withdrawn)
        with translation.override(membership.language):
            url = _site_url(reverse("customer_council:join", kwargs={"token": token}))
        try:
            _send(
                "membership_invitation",
                {
                    "membership": membership,
                    "cohort": membership.cohort,
                    "url": url,
                    "expires_at": invitation.expires_at,
                },
                membership.language,
                membership.email,
            )
        except Exception as error:  # SMTP down: keep nothing, and tell the manager
            logger.exception("Could not send council invitation for membership %s", membership.pk)
            raise ActionRefused(
                _("The invitation email could not be sent, so nothing was saved. Please try again later."),
                status=503,
            ) from error
    invitation.token, invitation.url = token, url
    return invitation


# --- Accept and decline --------------------------------------------------------------------


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a link's token (not locked, for showing it), or None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("membership", "membership__cohort")
        .filter(token_hash=hash_token(token))
        .first()
    )


def check_invitation(invitation: Invitation | None) -> Invitation:
    """Refuse a link that cannot be used any more, whoever holds it; return the invitation."""
    if invitation is None:
        raise InvitationRefused(
            _("This invitation link is not valid. Check that you opened the whole link from the email."), status=404
        )
    membership = invitation.membership
    if invitation.used_at is not None:
        raise InvitationRefused(_("This invitation has already been used."), status=410)
    if invitation.withdrawn_at is not None:
        raise InvitationRefused(
            _("This invitation link has been replaced or withdrawn. Use the newest invitation email."), status=410
        )
    if membership.state != State.INVITED:
        raise InvitationRefused(_("This invitation is no longer open."), status=410)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _("This invitation has expired. Ask the council team to send you a new one."), status=410
        )
    return invitation


def check_invitee(invitation: Invitation, user) -> None:
    """Refuse anyone but the account whose *verified* email is the invited address."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise InvitationRefused(_("Log in to answer this invitation."), status=403)
    membership = invitation.membership
    if membership.user_id is not None and membership.user_id != user.pk:
        raise InvitationRefused(_("This invitation was sent to another account."), status=403)
    if not EmailAddress.objects.filter(user=user, email__iexact=membership.email, verified=True).exists():
        raise InvitationRefused(
            _(
                "This invitation was sent to another email address. Log in with the account of that "
                "address, or add it to your account and confirm it first."
            ),
            status=403,
        )


def _open_invitation(token: str, user) -> Invitation:
    """Inside a transaction: the link's invitation and membership, locked, checked for ``user``."""
    found = find_invitation(token)
    if found is not None:
        # Lock the membership first (the order every writer uses), then the invitation.
        Membership.objects.select_for_update().filter(pk=found.membership_id).first()
        found = (
            Invitation.objects.select_for_update()
            .select_related("membership", "membership__cohort")
            .filter(pk=found.pk)
            .first()
        )
    invitation = check_invitation(found)
    check_invitee(invitation, user)
    return invitation


def accept(token: str, user) -> Membership:
    """The invitee takes the seat: the membership becomes active and the link is used up."""
    with transaction.atomic():
        invitation = _open_invitation(token, user)
        membership = invitation.membership
        now = timezone.now()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        membership.user, membership.state = user, State.ACTIVE
        membership.save(update_fields=["user", "state"])
        _record(membership, Kind.ACCEPTED, user, invitation=invitation.pk)
        sync_access(user)
    return membership


def decline(token: str, user) -> Membership:
    """The invitee says no: the membership is declined and the link is used up."""
    with transaction.atomic():
        invitation = _open_invitation(token, user)
        membership = invitation.membership
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        membership.state = State.DECLINED
        membership.save(update_fields=["state"])
        _record(membership, Kind.DECLINED, user, invitation=invitation.pk)
    return membership


# --- Managers' changes and term ends --------------------------------------------------------


def update_details(membership: Membership, by, **fields) -> Membership:
    """A manager edits a membership's term, directory or weighting fields (one "updated" row)."""
    _require_manager(by)
    editable = {
        "term_start",
        "term_end",
        "company",
        "role",
        "region",
        "show_company",
        "show_role",
        "show_region",
        "segment",
        "plan",
        "revenue_band",
        "language",
    }
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(membership)
        changed = []
        for name, value in fields.items():
            if isinstance(value, str):
                value = clean_line(value)[: Membership._meta.get_field(name).max_length]
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if locked.term_end < locked.term_start:
            raise ActionRefused(_("The term must end on or after the day it starts."))
        if not changed:
            return locked
        if "term_end" in changed:
            locked.reminded_at = None
            changed.append("reminded_at")
        locked.save(update_fields=changed)
        _record(locked, Kind.UPDATED, by, fields=sorted(set(changed) - {"reminded_at"}))
        if locked.user is not None:
            sync_access(locked.user)
    return locked


def update_directory_entry(user, **fields) -> Membership:
    """A member edits their own directory entry (what is shown, and company/role/region)."""
    editable = {"company", "role", "region", "show_company", "show_role", "show_region"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"not editable by members: {sorted(unknown)}")
    membership = current_membership(user)
    if membership is None:
        raise NotAllowed(_("Only council members have a directory entry."))
    with transaction.atomic():
        locked = _locked(membership)
        changed = []
        for name, value in fields.items():
            if isinstance(value, str):
                value = clean_line(value)[: Membership._meta.get_field(name).max_length]
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if changed:
            locked.save(update_fields=changed)
            _record(locked, Kind.UPDATED, user, fields=sorted(changed))
    return locked


def renew(membership: Membership, new_term_end: date, by) -> Membership:
    """Extend the term to ``new_term_end``; an expired seat with an account becomes active again."""
    _require_manager(by)
    with transaction.atomic():
        membership = _locked(membership)
        if membership.state in (State.REVOKED, State.DECLINED):
            raise ActionRefused(_("A revoked or declined membership cannot be renewed: nominate again."), status=409)
        if new_term_end is None or new_term_end <= membership.term_end:
            raise ActionRefused(_("The new end of the term must be later than the current one."))
        if new_term_end < timezone.localdate():
            raise ActionRefused(_("The new end of the term must not be in the past."))
        previous = membership.term_end
        membership.term_end, membership.reminded_at = new_term_end, None
        fields = ["term_end", "reminded_at"]
        if membership.state == State.EXPIRED:
            membership.state = State.ACTIVE if membership.user_id else State.INVITED
            fields.append("state")
        membership.save(update_fields=fields)
        _record(membership, Kind.RENEWED, by, term_end_was=previous.isoformat(), term_end=new_term_end.isoformat())
        if membership.user is not None:
            sync_access(membership.user)
    return membership


def revoke(membership: Membership, by, reason: str = "") -> Membership:
    """End the seat now: open links stop working and the member is shut out at every exit."""
    _require_manager(by)
    with transaction.atomic():
        membership = _locked(membership)
        if membership.state in (State.REVOKED, State.DECLINED):
            raise ActionRefused(_("This membership has already ended."), status=409)
        was = membership.state
        membership.state = State.REVOKED
        membership.save(update_fields=["state"])
        _withdraw_open_invitations(membership, timezone.now())
        _record(membership, Kind.REVOKED, by, state_was=was, reason=clean_line(reason)[:MAX_REASON_LENGTH])
        if membership.user is not None:
            sync_access(membership.user)
    return membership


def expire(membership: Membership, actor=None) -> bool:
    """Mark an active or invited seat whose term has ended as expired; False if nothing to do."""
    with transaction.atomic():
        membership = _locked(membership)
        if membership.state not in (State.ACTIVE, State.INVITED) or membership.term_end >= timezone.localdate():
            return False
        was = membership.state
        membership.state = State.EXPIRED
        membership.save(update_fields=["state"])
        _withdraw_open_invitations(membership, timezone.now())
        _record(membership, Kind.EXPIRED, actor, state_was=was, term_end=membership.term_end.isoformat())
        if membership.user is not None:
            sync_access(membership.user)
    return True


def expire_ended_terms() -> list[Membership]:
    """Expire every active or invited seat whose term ended before today (idempotent)."""
    due = Membership.objects.filter(
        state__in=[State.ACTIVE, State.INVITED], term_end__lt=timezone.localdate()
    ).order_by("pk")
    return [membership for membership in due if expire(membership)]


def send_renewal_reminders(today: date | None = None) -> list[Membership]:
    """Remind each active member whose term ends within COUNCIL_RENEWAL_REMINDER_DAYS, and every
    council manager, once per term (``reminded_at``; renewing resets it). Returns those reminded."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.COUNCIL_RENEWAL_REMINDER_DAYS)
    due = Membership.objects.filter(
        state=State.ACTIVE, reminded_at__isnull=True, term_end__gte=today, term_end__lte=horizon
    ).order_by("pk")
    reminded = []
    for candidate in due:
        with transaction.atomic():
            membership = _locked(candidate)
            if membership.reminded_at is not None or membership.state != State.ACTIVE:
                continue  # another run got here first
            membership.reminded_at = timezone.now()
            membership.save(update_fields=["reminded_at"])
            recipients = [membership.user] + [m for m in managers() if m.pk != membership.user_id]
            _record(
                membership, Kind.REMINDED, None, term_end=membership.term_end.isoformat(), recipients=len(recipients)
            )
            transaction.on_commit(lambda membership=membership, recipients=recipients: _remind(membership, recipients))
        reminded.append(membership)
    return reminded


def _remind(membership: Membership, recipients) -> None:
    for recipient in recipients:
        is_member = recipient.pk == membership.user_id
        try:
            _send(
                "membership_reminder",
                {
                    "membership": membership,
                    "cohort": membership.cohort,
                    "for_member": is_member,
                    "member_name": membership.user.public_name,
                    "recipient": recipient,
                },
                (membership.language if is_member else recipient.preferred_language),
                recipient.email,
            )
        except Exception:  # the reminder is recorded; a failed mail is logged, the others still go
            logger.exception("Could not email the renewal reminder of membership %s", membership.pk)


# --- Agreements ----------------------------------------------------------------------------


def agreements_to_accept(user, language: str) -> list[Agreement]:
    """The live text of each agreement whose current version ``user`` has not accepted: in
    ``language`` when that translation carries the current version, else in any language that does."""
    required = current_versions()
    accepted = set(AgreementAcceptance.objects.filter(user=user).values_list("kind", "version"))
    shown = []
    for kind, version in sorted(required.items()):
        if (kind, version) in accepted:
            continue
        candidates = list(
            Agreement.objects.filter(live=True, kind=kind, version=version)
            .select_related("locale", "live_revision")
            .order_by("pk")
        )
        chosen = next((a for a in candidates if a.locale.language_code == language), None)
        chosen = chosen or next((a for a in candidates if a.locale.language_code == settings.LANGUAGE_CODE), None)
        shown.append(chosen or candidates[0])
    return shown


def accept_agreements(user, language: str, shown_revisions: list[int] | None = None) -> list[AgreementAcceptance]:
    """Record that ``user`` accepts the current version of every pending agreement.

    ``shown_revisions`` are the revisions the page showed: when a new version was published in
    between, nothing is stored and the reader is asked to read again.
    """
    with transaction.atomic():
        memberships = list(Membership.objects.select_for_update().filter(user=user, state=State.ACTIVE).order_by("pk"))
        if current_membership(user) is None:
            raise NotAllowed(_("Only council members accept the council's agreements."))
        pending = agreements_to_accept(user, language)
        if shown_revisions is not None and sorted(shown_revisions) != sorted(a.live_revision_id for a in pending):
            raise ActionRefused(
                _("The agreements changed while you were reading them. Please read them again."), status=409
            )
        stored = []
        for agreement in pending:
            acceptance, created = AgreementAcceptance.objects.get_or_create(
                user=user,
                kind=agreement.kind,
                version=agreement.version,
                defaults={"revision": agreement.live_revision, "language": agreement.locale.language_code},
            )
            if created:
                stored.append(acceptance)
                for membership in memberships:
                    _record(
                        membership,
                        Kind.AGREEMENT_ACCEPTED,
                        user,
                        agreement=agreement.kind,
                        version=agreement.version,
                        revision=agreement.live_revision_id,
                        language=agreement.locale.language_code,
                    )
        sync_access(user)
    return stored
