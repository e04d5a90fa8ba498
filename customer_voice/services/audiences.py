"""Who may be asked: active customers, and audiences other apps add through a Wagtail hook.

Apps above this one (the council) register ``survey_audiences``: a function returning
``{audience_key: function returning a User queryset}``. This app never imports them.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail import hooks

from customer_voice.models.surveys import Audience

#: Hook: ``def hook() -> dict[str, Callable[[], QuerySet]]``.
SURVEY_AUDIENCES_HOOK = "survey_audiences"


def staff_q(prefix: str = "") -> Q:
    """Staff: never surveyed, never counted as customers (admin access, superusers, staff flag)."""
    return (
        Q(**{f"{prefix}is_staff": True})
        | Q(**{f"{prefix}is_superuser": True})
        | Q(**{f"{prefix}groups__permissions__codename": "access_admin"})
        | Q(**{f"{prefix}user_permissions__codename": "access_admin"})
    )


def customers() -> QuerySet:
    """Active accounts that are not staff."""
    User = get_user_model()
    staff_ids = User.objects.filter(staff_q()).values("pk")
    return User.objects.filter(is_active=True).exclude(pk__in=staff_ids)


def active_customers(now=None) -> QuerySet:
    """Customers seen lately: logged in (or joined) within ``VOICE_ACTIVE_DAYS``."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.VOICE_ACTIVE_DAYS)
    return customers().filter(Q(last_login__gte=since) | Q(date_joined__gte=since))


def registered_audiences() -> dict:
    found = {}
    for hook in hooks.get_hooks(SURVEY_AUDIENCES_HOOK):
        found.update(hook())
    return found


def audience_members(audience: str) -> QuerySet:
    """The people an NPS run to ``audience`` goes to, before consent and throttle."""
    if audience == Audience.EVERYONE:
        return active_customers()
    members = registered_audiences().get(audience)
    if members is None:
        return get_user_model().objects.none()
    return members().filter(pk__in=customers().values("pk"))


def council_member_ids(user_ids) -> set[int]:
    """Which of ``user_ids`` are in the council audience now (one query; none without a council)."""
    members = registered_audiences().get(Audience.COUNCIL)
    if members is None:
        return set()
    return set(members().filter(pk__in=list(user_ids)).values_list("pk", flat=True))
