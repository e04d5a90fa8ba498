"""The consented digest: prepare an issue for a period, send it at most once per person.

* :func:`prepare_issue` makes the issue and one ``PENDING`` delivery per active account with
  newsletter consent (``marketing_opt_in``). Staff who opted in get it too: the digest is public
  content and consent, not the role, decides (staff are never *surveyed*; this is no survey).
  Calling it again adds people who opted in since, until the issue is finished; nothing else.
* :func:`send_issue` claims each pending delivery (``SENDING``, committed) before its email
  leaves and marks it ``SENT`` after; consent is checked again at that moment (withdrawn, or the
  account deactivated: ``SKIPPED``). An SMTP error marks it ``FAILED`` and the next run retries it.
  A crash between claim and ``SENT`` leaves ``SENDING``: the email may or may not have gone, so a
  later run leaves it alone (at most once) unless told ``retry_uncertain``. The Message-ID is the
  same on every attempt (``<digest-<period>-<user id>@<host>>``), so a mail system that saw the
  first one can drop the duplicate.
* Unsubscribe tokens (:func:`unsubscribe_token`) are signed (TimestampSigner, salt
  ``customer_voice.unsubscribe``) user id + topic. Withdrawing never expires: an unsubscribe link
  in a year-old email must still work, and withdrawing must be as easy as agreeing. Giving consent
  back through a token (the preferences page opened from an email, without logging in) is accepted
  only while the token is younger than :data:`GRANT_TOKEN_DAYS`; after that the person logs in.
"""

import re
import smtplib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.consent import has_consent, set_consent
from accounts.models import ConsentRecord
from customer_voice.digest_sections import absolute_url, digest_sections
from customer_voice.models import DigestDelivery, DigestIssue

State = DigestDelivery.State
Topic = ConsentRecord.Topic

WEEK = re.compile(r"(\d{4})-W(\d{2})")
MONTH = re.compile(r"(\d{4})-(\d{2})")
UNSUBSCRIBE_SALT = "customer_voice.unsubscribe"
#: A token from an email may give consent back (tick a box) for this long; withdrawing never expires.
GRANT_TOKEN_DAYS = 30
MAX_TOKEN_LENGTH = 200


class PeriodError(ValueError):
    """A period that is not "YYYY-Www" or "YYYY-MM", does not exist, or has not ended yet."""


# --- Periods -------------------------------------------------------------------------------------


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """The start (inclusive) and end (exclusive) of "2026-W49" or "2026-12", in the site's time zone."""
    period = period if isinstance(period, str) else ""
    if week := WEEK.fullmatch(period):
        try:
            first = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            message = _("%(period)s is not a week: weeks run from W01 to W52 or W53.") % {"period": period}
            raise PeriodError(message) from None
        last = first + timedelta(days=7)
    elif month := MONTH.fullmatch(period):
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12 or year < 1:
            raise PeriodError(_("%(period)s is not a month: months run from 01 to 12.") % {"period": period})
        first = date(year, number, 1)
        last = date(year + number // 12, number % 12 + 1, 1)
    else:
        raise PeriodError(
            _("“%(period)s” is not a period: give an ISO week like 2026-W49 or a month like 2026-12.")
            % {"period": period[:40]}
        )
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(first, time.min), zone),
        timezone.make_aware(datetime.combine(last, time.min), zone),
    )


def last_complete_week(now=None) -> str:
    """The ISO week before the current one, e.g. "2026-W48" on any day of week 49."""
    today = timezone.localdate(now or timezone.now())
    year, week, _weekday = (today - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


# --- Preparing and sending -----------------------------------------------------------------------


def recipients():
    """Who may be sent the digest now: active accounts with newsletter consent and an address."""
    return get_user_model().objects.filter(is_active=True, marketing_opt_in=True).exclude(email="")


def prepare_issue(period: str, *, now=None) -> DigestIssue:
    """The issue for ``period`` with a pending delivery for everyone who agreed (idempotent)."""
    starts_at, ends_at = period_bounds(period)
    if ends_at > (now or timezone.now()):
        raise PeriodError(_("%(period)s has not ended yet: a digest covers a finished period.") % {"period": period})
    with transaction.atomic():
        issue, _created = DigestIssue.objects.get_or_create(
            period=period, defaults={"starts_at": starts_at, "ends_at": ends_at}
        )
        if issue.finished_at is None:
            # A finished issue takes no one new: a second run for the period sends nothing at all.
            DigestDelivery.objects.bulk_create(
                [DigestDelivery(issue=issue, user_id=pk) for pk in recipients().values_list("pk", flat=True)],
                ignore_conflicts=True,
                batch_size=500,
            )
    return issue


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    #: Deliveries left in SENDING by an earlier run: not sent again (at most once).
    uncertain: int = 0
    #: Languages whose readers got nothing because nothing was new in them.
    empty_languages: set = field(default_factory=set)


def message_id(issue: DigestIssue, user_id: int) -> str:
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"<digest-{issue.period}-{user_id}@{host}>"


def send_issue(
    issue: DigestIssue, *, retry_uncertain: bool = False, progress: Callable[[str], None] | None = None
) -> SendResult:
    """Send every pending delivery of ``issue`` (and failed ones again); ``progress(state)`` after each."""
    deliveries = DigestDelivery.objects.filter(issue=issue)
    retry = [State.FAILED, State.SENDING] if retry_uncertain else [State.FAILED]
    deliveries.filter(state__in=retry).update(state=State.PENDING, error="")
    result = SendResult()
    contents: dict[str, list[dict]] = {}
    todo = (
        deliveries.filter(state=State.PENDING).order_by("pk").values_list("pk", "user_id", "user__preferred_language")
    )
    for pk, user_id, language in todo:
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        if language not in contents:
            # Built before the claim: a failing section must not leave a delivery in SENDING.
            with translation.override(language):
                contents[language] = digest_sections(language, issue.starts_at, issue.ends_at)
        state = _send_one(issue, pk, user_id, contents[language])
        if state is None:
            continue
        if state == State.SENT:
            result.sent += 1
        elif state == State.FAILED:
            result.failed += 1
        else:
            result.skipped += 1
            if not contents[language]:
                result.empty_languages.add(language)
        if progress is not None:
            progress(state)
    result.uncertain = deliveries.filter(state=State.SENDING).count()
    if not deliveries.filter(state=State.PENDING).exists() and issue.finished_at is None:
        issue.finished_at = timezone.now()
        DigestIssue.objects.filter(pk=issue.pk).update(finished_at=issue.finished_at)
    return result


def _send_one(issue: DigestIssue, pk: int, user_id: int, sections: list[dict]) -> str | None:
    """Claim, check consent, send, record; the state it ended in (None: another run has it)."""
    mid = message_id(issue, user_id)
    with transaction.atomic():
        claimed = DigestDelivery.objects.filter(pk=pk, state=State.PENDING).update(
            state=State.SENDING, claimed_at=timezone.now(), message_id=mid
        )
    if not claimed:
        return None
    delivery = DigestDelivery.objects.filter(pk=pk)
    user = recipients().filter(pk=user_id).first()
    if user is None:
        delivery.update(state=State.SKIPPED, error="No newsletter consent when sending.")
        return State.SKIPPED
    if not sections:
        delivery.update(state=State.SKIPPED, error="Nothing new in this language for this period.")
        return State.SKIPPED
    try:
        build_email(issue, user, sections, mid).send()
    except (smtplib.SMTPException, OSError) as error:
        delivery.update(state=State.FAILED, error=f"{type(error).__name__}: {error}"[:300])
        return State.FAILED
    delivery.update(state=State.SENT, sent_at=timezone.now())
    return State.SENT


def build_email(issue: DigestIssue, user, sections: list[dict], mid: str) -> EmailMultiAlternatives:
    """The digest email for ``user``, in their language, with one-click unsubscribe headers."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    token = unsubscribe_token(user, Topic.NEWSLETTER)
    with translation.override(language):
        unsubscribe_url = absolute_url(reverse("voice_public:unsubscribe", kwargs={"token": token}))
        context = {
            "user": user,
            "sections": sections,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": absolute_url(f"/{language}/"),
            "starts": date_format(issue.starts_at.date(), "DATE_FORMAT"),
            "ends": date_format(issue.ends_at.date() - timedelta(days=1), "DATE_FORMAT"),
            "preferences_url": absolute_url(reverse("voice:email_preferences_signed", kwargs={"token": token})),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = _("%(site_name)s digest: %(starts)s – %(ends)s") % context
        text = render_to_string("customer_voice/email/digest.txt", context)
        html = render_to_string("customer_voice/email/digest.html", context)
    email = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "Message-ID": mid,
            # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the https address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def counts_by_state(issue: DigestIssue) -> Counter:
    """How many deliveries of ``issue`` are in each state."""
    return Counter(issue.deliveries.values_list("state", flat=True))


# --- Unsubscribe tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenHolder:
    user: object
    topic: str
    #: Young enough to give consent back (see GRANT_TOKEN_DAYS); any valid token withdraws.
    may_grant: bool


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user, topic: str) -> str:
    return _signer().sign_object({"u": user.pk, "t": str(topic)})


def read_token(token) -> TokenHolder | None:
    """Whose consent a token speaks for, or None for a forged, altered or garbled one."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
        return None
    try:
        data = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or data.get("t") not in Topic.values or type(data.get("u")) is not int:
        return None
    user = get_user_model().objects.filter(pk=data["u"]).first()
    if user is None:
        return None
    try:
        _signer().unsign_object(token, max_age=timedelta(days=GRANT_TOKEN_DAYS))
        may_grant = True
    except signing.SignatureExpired:
        may_grant = False
    return TokenHolder(user=user, topic=data["t"], may_grant=may_grant)


# --- Changing one's email preferences --------------------------------------------------------------


class GrantRefused(ValueError):
    """Consent may not be given back through an old emailed link (log in instead)."""


def change_preferences(user, wanted: dict, *, from_unsubscribe_link: bool = False, may_grant: bool = True) -> int:
    """Set each topic in ``wanted`` (topic -> granted) through accounts.consent.set_consent, all or
    nothing; withdrawals made from an email's unsubscribe link say so in the ledger. Returns how
    many consents changed."""
    withdraw_source = (
        ConsentRecord.Source.UNSUBSCRIBE_LINK if from_unsubscribe_link else ConsentRecord.Source.PREFERENCES
    )
    changed = 0
    with transaction.atomic():
        for topic, granted in wanted.items():
            if granted and not may_grant and not has_consent(user, topic):
                raise GrantRefused(_("This link is too old to sign up again. Log in to change your choices."))
            source = ConsentRecord.Source.PREFERENCES if granted else withdraw_source
            changed += set_consent(user, topic, granted, source)
    return changed
