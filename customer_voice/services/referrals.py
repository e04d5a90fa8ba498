"""Referral links: the one place that gives out links, counts their clicks and attributes sign-ups.

* :func:`link_for` gives an active member their personal link (created the first time).
* :func:`record_click` bumps the link's counter row for the day (``F() + 1``, never read-modify-write).
* :func:`attribute_sign_up` makes a new account a :class:`Referral` of the link's owner: first
  touch (one referral per account, the first cookie wins), never the owner themself, never a
  deactivated owner, and one cookie brings at most one sign-up.
* :func:`first_touch_cookie` and :func:`read_first_touch_cookie` sign and check the one cookie a
  click sets: the code and the click time, signed with the site's key, honoured for
  ``VOICE_REFERRAL_COOKIE_DAYS``. Nothing else about a visitor is kept.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from customer_voice.models.referrals import CODE_ALPHABET, CODE_LENGTH, Referral, ReferralClicks, ReferralLink

#: The first-touch cookie (HttpOnly, SameSite=Lax): "<signed [code, click time]>".
COOKIE_NAME = "ref"
#: Keeps a referral cookie from being accepted as any other signed value of the site, and back.
COOKIE_SALT = "customer_voice.referral"
#: A signed [code, ISO time] is well under this; anything longer is not ours.
MAX_COOKIE_LENGTH = 200
#: Clock skew tolerated on a click time that lies in the future.
FUTURE_SKEW = datetime.timedelta(minutes=5)


def is_code(code) -> bool:
    """A string of exactly CODE_LENGTH characters of CODE_ALPHABET (nothing else reaches the database)."""
    return isinstance(code, str) and len(code) == CODE_LENGTH and all(character in CODE_ALPHABET for character in code)


def cookie_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.VOICE_REFERRAL_COOKIE_DAYS)


# --- Links ----------------------------------------------------------------------------------
def link_for(user) -> ReferralLink | None:
    """The member's personal link, created on first use; None for anonymous or deactivated users.

    Staff may have one too. Safe when two requests race: the owner is unique, so the loser of
    the race reads the winner's link; a (very unlikely) clash of random codes draws a new one.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    for _attempt in range(3):
        try:
            with transaction.atomic():
                link, _created = ReferralLink.objects.get_or_create(owner=user)
            return link
        except IntegrityError:
            # Either the owner's row appeared meanwhile (read it) or the random code was taken (retry).
            link = ReferralLink.objects.filter(owner=user).first()
            if link is not None:
                return link
    raise IntegrityError("Could not draw a free referral code")


def referred_count(link: ReferralLink | None) -> int:
    """How many accounts signed up through ``link`` (a number only: who they are is not shown)."""
    return Referral.objects.filter(link=link).count() if link is not None else 0


def active_link(code: str) -> ReferralLink | None:
    """The link with this code whose owner is still active, or None (also for a garbled code)."""
    if not is_code(code):
        return None
    return ReferralLink.objects.select_related("owner").filter(code=code, owner__is_active=True).first()


# --- Clicks ---------------------------------------------------------------------------------
def record_click(code: str, day: datetime.date | None = None) -> bool:
    """Count one click on the link ``code`` for ``day`` (default today); False for no such link.

    The day's row is bumped with ``F("clicks") + 1``; the first click of a day creates it
    (get_or_create, which reads the row a concurrent first click inserted instead of failing).
    """
    link = active_link(code)
    if link is None:
        return False
    day = day or timezone.localdate()
    if not ReferralClicks.objects.filter(link=link, day=day).update(clicks=F("clicks") + 1):
        row, _created = ReferralClicks.objects.get_or_create(link=link, day=day)
        ReferralClicks.objects.filter(pk=row.pk).update(clicks=F("clicks") + 1)
    return True


# --- Sign-ups -------------------------------------------------------------------------------
def attribute_sign_up(user, code: str, clicked_at: datetime.datetime | None = None) -> Referral | None:
    """Make the new account ``user`` a referral of the link ``code``; the Referral, or None.

    None (nothing written) when: the code is garbled or unknown, the link's owner is deactivated
    or is ``user`` themself, ``user`` was already attributed (first touch), or another account
    already signed up with the same cookie (the same link and click time).
    """
    if user is None or user.pk is None:
        return None
    link = active_link(code)
    if link is None or link.owner_id == user.pk:
        return None
    with transaction.atomic():
        if clicked_at is not None and Referral.objects.filter(link=link, clicked_at=clicked_at).exists():
            return None
        try:
            with transaction.atomic():
                referral, created = Referral.objects.get_or_create(
                    referred=user,
                    defaults={"link": link, "clicked_at": clicked_at, "created_at": user.date_joined or timezone.now()},
                )
        except IntegrityError:  # a concurrent attribution of the same account won
            return None
    return referral if created else None


# --- The first-touch cookie -----------------------------------------------------------------
def first_touch_cookie(code: str, clicked_at: datetime.datetime) -> str:
    """The signed cookie value for a click on ``code`` at ``clicked_at``."""
    return signing.dumps([code, clicked_at.isoformat()], salt=COOKIE_SALT)


def read_first_touch_cookie(value, now: datetime.datetime | None = None) -> tuple[str, datetime.datetime] | None:
    """(code, click time) from a cookie this site signed within the cookie's lifetime; else None.

    Both the signature's own time and the click time inside must be within
    VOICE_REFERRAL_COOKIE_DAYS: a browser that kept the cookie longer than told is not honoured.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    lifetime = cookie_lifetime()
    try:
        payload = signing.loads(value, salt=COOKIE_SALT, max_age=lifetime)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, list) or len(payload) != 2 or not all(isinstance(part, str) for part in payload):
        return None
    code, moment = payload
    try:
        clicked_at = parse_datetime(moment)
    except ValueError:
        return None
    if not is_code(code) or clicked_at is None or timezone.is_naive(clicked_at):
        return None
    now = now or timezone.now()
    if not now - lifetime <= clicked_at <= now + FUTURE_SKEW:
        return None
    return code, clicked_at
