"""Surveys: who is due, inviting and sending, recording an answer, and what follows an answer.

The one place for every survey write: views, the ``send_nps_survey`` command and the CSAT
receiver call these functions and never touch the survey models themselves.

Answers are one-click: the score link of an email records its score at once. For
:data:`CHANGE_WINDOW` after that first score, and until a comment is sent, another score link of
the same email (or the form) changes the score; the category and the detractor follow-up follow
it. After that the invitation is answered for good: a reused link never makes a second answer.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customer_voice.links import site_url, survey_url
from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse, SurveyRun
from customer_voice.models.surveys import MAX_COMMENT_LENGTH, Audience, SurveyKind
from customer_voice.services.audiences import audience_members, council_member_ids, customers, staff_q
from customer_voice.services.followups import open_follow_up
from sitewide.errors import ActionRefused
from sitewide.text import clean_text, has_nul

logger = logging.getLogger(__name__)

Channel = SurveyInvitation.Channel
#: After the first score, another score of the same invitation changes it for this long.
CHANGE_WINDOW = timedelta(hours=1)
NPS_SCORES = range(0, 11)
#: CSAT: 1 "good, I'm satisfied", 0 "bad, I'm unsatisfied".
CSAT_GOOD, CSAT_BAD = 1, 0
CSAT_SCORES = (CSAT_GOOD, CSAT_BAD)
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
#: Session key: the in-site NPS invitation ({% nps_prompt %}) was dismissed in this session.
NPS_PROMPT_DISMISSED_KEY = "voice_nps_prompt_dismissed_at"
#: Mail systems must not answer these automatically (RFC 3834; Outlook's own header).
AUTOMATED_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def _language(code: str) -> str:
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _recently_asked(user_ref, now) -> QuerySet:
    since = now - timedelta(days=settings.VOICE_NPS_INTERVAL_DAYS)
    return SurveyInvitation.objects.filter(user=user_ref, kind=SurveyKind.NPS, created_at__gt=since)


# --- Who is due -------------------------------------------------------------------------------


def due_customers(now=None) -> QuerySet:
    """Customers who agreed to feedback surveys and were not asked (any channel) within
    VOICE_NPS_INTERVAL_DAYS. Staff are never customers."""
    now = now or timezone.now()
    return customers().filter(feedback_opt_in=True).exclude(Exists(_recently_asked(OuterRef("pk"), now)))


def _may_be_customer(user) -> bool:
    """What the user row already says, without a query."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
        and getattr(user, "feedback_opt_in", False)
    )


def is_due_for_nps(user, now=None) -> bool:
    """Whether ``user`` may be asked the NPS question now (at most one query; none for anonymous
    users, staff flags or people without consent)."""
    if not _may_be_customer(user):
        return False
    return due_customers(now).filter(pk=user.pk).exists()


def invite_nps(
    user, run: SurveyRun | None = None, channel: str = Channel.EMAIL, now=None, *, language: str = ""
) -> SurveyInvitation | None:
    """A new NPS invitation for ``user`` (in ``language``, by default their preferred one), or
    None when they are not due (no consent, staff, asked lately). The user's row is locked while
    deciding, so two runs (or a run and the site) cannot both ask the same person."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if locked is None or not is_due_for_nps(locked, now):
            return None
        return SurveyInvitation.objects.create(
            kind=SurveyKind.NPS,
            run=run,
            user=locked,
            email=locked.email if channel == Channel.EMAIL else "",
            channel=channel,
            language=_language(language or locked.preferred_language),
            created_at=now,
        )


def open_site_invitation(user, now=None, *, language: str = "") -> SurveyInvitation | None:
    """The in-site NPS question for ``user``: their unanswered site invitation of this period,
    else a new one when they are due; None when they are not due."""
    now = now or timezone.now()
    pending = (
        _recently_asked(user, now)
        .filter(channel=Channel.SITE, answered_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    return pending or invite_nps(user, channel=Channel.SITE, now=now, language=language)


# --- Sending a run ----------------------------------------------------------------------------


@dataclass
class RunOutcome:
    """What a run did (or would do, for a dry run)."""

    sent: int = 0
    #: Asked within VOICE_NPS_INTERVAL_DAYS (by another run or on the site).
    skipped_throttle: int = 0
    #: Did not agree to feedback surveys.
    skipped_consent: int = 0
    #: Already sent by this very run (a second call of the same run).
    already_sent: int = 0
    failed: int = 0
    to_send: list = field(default_factory=list, repr=False)


def plan_nps_run(audience: str, run: SurveyRun | None = None, now=None) -> RunOutcome:
    """Who in ``audience`` would get the email, and why the others would not (nothing written)."""
    now = now or timezone.now()
    members = audience_members(audience)
    outcome = RunOutcome()
    in_this_run = set()
    unsent_in_this_run = {}
    if run is not None and run.pk:
        for invitation in run.invitations.filter(kind=SurveyKind.NPS).select_related("user"):
            in_this_run.add(invitation.user_id)
            if invitation.sent_at is None and invitation.channel == Channel.EMAIL:
                unsent_in_this_run[invitation.user_id] = invitation
    asked = set(
        SurveyInvitation.objects.filter(
            kind=SurveyKind.NPS,
            user__in=members.values("pk"),
            created_at__gt=now - timedelta(days=settings.VOICE_NPS_INTERVAL_DAYS),
        ).values_list("user_id", flat=True)
    )
    for user in members.order_by("pk").iterator(chunk_size=500):
        if not user.feedback_opt_in:
            outcome.skipped_consent += 1
        elif user.pk in unsent_in_this_run:
            # Made by this run but never sent (a crash or a mail failure): send it now.
            outcome.to_send.append((user, unsent_in_this_run[user.pk]))
        elif user.pk in in_this_run:
            outcome.already_sent += 1
        elif user.pk in asked:
            outcome.skipped_throttle += 1
        else:
            outcome.to_send.append((user, None))
    return outcome


def send_nps_run(run: SurveyRun, *, progress=None, now=None) -> RunOutcome:
    """Invite and email every due member of ``run.audience``. Idempotent: a second call for the
    same run sends nothing new (and sends what a failed first call left unsent).

    ``progress`` wraps the iterable of people to send to (the command passes tqdm)."""
    now = now or timezone.now()
    outcome = plan_nps_run(run.audience, run, now)
    to_send = outcome.to_send
    for user, invitation in progress(to_send) if progress else to_send:
        if invitation is None:
            invitation = invite_nps(user, run=run, channel=Channel.EMAIL, now=now)
            if invitation is None:  # someone else asked them meanwhile
                outcome.skipped_throttle += 1
                continue
        if send_nps_email(invitation):
            outcome.sent += 1
        else:
            outcome.failed += 1
    if run.sent_at is None:
        run.sent_at = timezone.now()
        run.save(update_fields=["sent_at"])
    outcome.to_send = []
    return outcome


def _send(invitation: SurveyInvitation, template: str, context: dict, recipient: str) -> bool:
    """Render ``customer_voice/email/<template>`` (subject, .txt, .html) in the invitation's
    language, send it and mark the invitation sent. False (logged) when the mail fails."""
    language = _language(invitation.language)
    try:
        with translation.override(language):
            context = {"site_name": settings.WAGTAIL_SITE_NAME, "language": language, **context}
            subject = " ".join(render_to_string(f"customer_voice/email/{template}_subject.txt", context).split())
            text = render_to_string(f"customer_voice/email/{template}.txt", context)
            html = render_to_string(f"customer_voice/email/{template}.html", context)
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [recipient], headers={**AUTOMATED_HEADERS}
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        logger.exception("Could not send the %s email of survey invitation %s", template, invitation.pk)
        return False
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


def send_nps_email(invitation: SurveyInvitation) -> bool:
    """The NPS email: eleven one-click score links (0-10) and a plain link to the survey."""
    user = invitation.user
    if user is None or not invitation.email:
        return False
    try:
        with translation.override(_language(invitation.language)):
            preferences_url = site_url(reverse("profile"))
    except NoReverseMatch:
        preferences_url = ""
    context = {
        "invitation": invitation,
        "user": user,
        "scores": [(score, survey_url(invitation, score)) for score in NPS_SCORES],
        "survey_url": survey_url(invitation),
        "preferences_url": preferences_url,
    }
    return _send(invitation, "survey_nps", context, invitation.email)


# --- CSAT after a solved ticket ---------------------------------------------------------------


def ask_csat(ticket) -> SurveyInvitation | None:
    """The "your request is solved" email with its good/bad question, once per ticket.

    Transactional: every requester of a solved ticket gets it (no feedback opt-in needed: the
    question is part of the email telling them their request is solved). A staff requester (a
    test ticket) gets none, since staff are never surveyed. Solving the ticket again sends
    nothing (one CSAT invitation per ticket, a unique constraint)."""
    requester = ticket.requester
    if requester is not None and get_user_model().objects.filter(staff_q(), pk=requester.pk).exists():
        return None
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                kind=SurveyKind.CSAT,
                user=requester,
                email=ticket.requester_email,
                ticket=ticket,
                channel=Channel.EMAIL,
                language=_language(ticket.language),
            )
    except IntegrityError:
        return None
    context = {
        "invitation": invitation,
        "ticket": ticket,
        "good_url": survey_url(invitation, CSAT_GOOD),
        "bad_url": survey_url(invitation, CSAT_BAD),
        "survey_url": survey_url(invitation),
    }
    _send(invitation, "csat_solved", context, ticket.requester_email)
    return invitation


# --- Answers ----------------------------------------------------------------------------------


def valid_scores(kind: str):
    return NPS_SCORES if kind == SurveyKind.NPS else CSAT_SCORES


def parse_score(kind: str, value) -> int | None:
    """``value`` (from a URL or a form) as a score of this kind of survey, or None."""
    text = str(value if value is not None else "")
    if not text.isascii() or not text.isdecimal() or len(text) > 2:
        return None
    score = int(text)
    return score if score in valid_scores(kind) else None


def clean_comment(comment) -> str:
    """A comment as stored: invisible direction overrides and control characters removed.
    Refuses (ActionRefused, 400) NUL bytes and comments over MAX_COMMENT_LENGTH."""
    comment = str(comment or "")
    if has_nul(comment):
        raise ActionRefused(_("The comment contains a character that is not allowed."))
    comment = clean_text(comment).strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ActionRefused(_("Please keep the comment under %(limit)s characters.") % {"limit": MAX_COMMENT_LENGTH})
    return comment


def needs_follow_up(response: SurveyResponse) -> bool:
    """A detractor NPS answer (0-6) or a bad CSAT."""
    if response.kind == SurveyKind.NPS:
        return response.category == SurveyResponse.Category.DETRACTOR
    return response.score == CSAT_BAD


def can_change(response: SurveyResponse, now=None) -> bool:
    """Within CHANGE_WINDOW of the first score and no comment sent yet."""
    now = now or timezone.now()
    return not response.comment and now - response.answered_at <= CHANGE_WINDOW


@dataclass
class AnswerOutcome:
    response: SurveyResponse
    #: "new" (first answer), "changed" (score or comment changed within the window),
    #: "unchanged" (the same score again within the window) or "already" (answered for good).
    status: str

    @property
    def already_answered(self) -> bool:
        return self.status == "already"


def _drop_untouched_follow_up(response: SurveyResponse) -> None:
    """The answer moved out of detractor within the window: its follow-up goes, unless support
    already started on it."""
    FollowUp.objects.filter(response=response, state=FollowUp.State.OPEN, assignee__isnull=True, note="").delete()


def record_answer(invitation: SurveyInvitation, score, comment: str = "", *, now=None) -> AnswerOutcome:
    """Record (or, within the change window, change) the answer to ``invitation``.

    Refuses (ActionRefused, 400) a score outside the scale (NPS 0-10, CSAT 0/1) and a hostile
    comment (see :func:`clean_comment`); nothing is written then. Segments (language, referral
    source, plan, council membership) are copied from the customer as they are now.
    """
    now = now or timezone.now()
    score = parse_score(invitation.kind, score)
    if score is None:
        raise ActionRefused(_("Please choose one of the scores shown."))
    comment = clean_comment(comment)
    try:
        return _record(invitation, score, comment, now)
    except IntegrityError:
        # Two first clicks at once where rows cannot be locked (SQLite): the other one made the
        # answer; this one now changes it or finds it answered, like any later click.
        return _record(invitation, score, comment, now)


def _record(invitation: SurveyInvitation, score: int, comment: str, now) -> AnswerOutcome:
    with transaction.atomic():
        # Locking the invitation orders two clicks of the same email: one answer, never two.
        # of=self: PostgreSQL locks no row on the nullable side of an outer join (select_related).
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",)).select_related("user").get(pk=invitation.pk)
        )
        response = SurveyResponse.objects.filter(invitation=invitation).first()
        if response is None:
            return AnswerOutcome(_first_answer(invitation, score, comment, now), "new")
        if not can_change(response, now):
            return AnswerOutcome(response, "already")
        if response.score == score and not comment:
            return AnswerOutcome(response, "unchanged")
        needed_follow_up = needs_follow_up(response)
        response.score = score
        response.comment = comment
        response.save(update_fields=["score", "category", "comment"])
        if needs_follow_up(response) and not needed_follow_up:
            open_follow_up(response)
        elif needed_follow_up and not needs_follow_up(response):
            _drop_untouched_follow_up(response)
        return AnswerOutcome(response, "changed")


def _first_answer(invitation: SurveyInvitation, score: int, comment: str, now) -> SurveyResponse:
    user = invitation.user
    response = SurveyResponse.objects.create(
        invitation=invitation,
        kind=invitation.kind,
        user=user,
        score=score,
        comment=comment,
        answered_at=now,
        language=invitation.language,
        referral_source=getattr(user, "referral_source", "") or "",
        plan=getattr(user, "plan", "") or "",
        is_council=bool(user and user.pk in council_member_ids([user.pk])),
        audience=invitation.run.audience if invitation.run_id else Audience.EVERYONE,
        ticket_id=invitation.ticket_id,
    )
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    if needs_follow_up(response):
        open_follow_up(response)
    return response


# --- Promoters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromoterInvitation:
    """Where a promoter is invited to: their success story, a public review, or both."""

    story_url: str = ""
    review_url: str = ""


def invited_promoter_answers(user) -> set[int]:
    """Which of ``user``'s promoter NPS answers came with the story/review invitation.

    Derived, not stored: walking the user's promoter answers in order, an answer is invited when
    no invited answer came in the VOICE_PROMOTER_INVITE_DAYS before it. So the invitation is
    shown at most once per period, the same answer always shows it (a reloaded thanks page does
    not use up the next one), and no field is needed. One small query (a person answers NPS a
    few times a year at most)."""
    period = timedelta(days=settings.VOICE_PROMOTER_INVITE_DAYS)
    answers = SurveyResponse.objects.filter(
        user=user, kind=SurveyKind.NPS, category=SurveyResponse.Category.PROMOTER
    ).order_by("answered_at", "pk")
    invited, last = set(), None
    for pk, answered_at in answers.values_list("pk", "answered_at"):
        if last is None or answered_at - last >= period:
            invited.add(pk)
            last = answered_at
    return invited


def promoter_invitation(user, response: SurveyResponse | None = None) -> PromoterInvitation | None:
    """Where to invite ``user`` after their promoter answer ``response`` (by default their latest
    NPS answer), or None: not a promoter, already invited within VOICE_PROMOTER_INVITE_DAYS, or
    nowhere to send them (no stories app and no VOICE_REVIEW_URL)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if response is None:
        response = SurveyResponse.objects.filter(user=user, kind=SurveyKind.NPS).order_by("-answered_at", "-pk").first()
    if response is None or response.category != SurveyResponse.Category.PROMOTER:
        return None
    if response.pk not in invited_promoter_answers(user):
        return None
    try:
        story_url = reverse("stories:share")
    except NoReverseMatch:  # the stories app is not installed
        story_url = ""
    review_url = settings.VOICE_REVIEW_URL or ""
    if not story_url and not review_url:
        return None
    return PromoterInvitation(story_url=story_url, review_url=review_url)


__all__ = [
    "AnswerOutcome",
    "PromoterInvitation",
    "RunOutcome",
    "ask_csat",
    "can_change",
    "due_customers",
    "invite_nps",
    "is_due_for_nps",
    "open_site_invitation",
    "plan_nps_run",
    "promoter_invitation",
    "record_answer",
    "send_nps_run",
]
