"""Who may be asked: active customers, and audiences other apps add through Wagtail hooks.

Apps above this one (the council) register ``survey_audiences``: a function returning
``{audience_key: function returning a User queryset}``, and ``survey_audience_viewers``: a
function returning ``{audience_key: function(viewer) -> bool}``, who may see that audience's
survey runs, their answers and who belongs to it. This app never imports them.
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
#: Hook: ``def hook() -> dict[str, Callable[[user], bool]]``: who may see an audience (its runs,
#: the answers given in them, its members). An audience nobody registers is shown to nobody.
SURVEY_AUDIENCE_VIEWERS_HOOK = "survey_audience_viewers"


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


def audience_viewers() -> dict:
    found = {}
    for hook in hooks.get_hooks(SURVEY_AUDIENCE_VIEWERS_HOOK):
        found.update(hook())
    return found


def may_see_audience(viewer, audience: str) -> bool:
    """Whether ``viewer`` may see ``audience``: its survey runs, the answers and comments given in
    them, and who belongs to it. "everyone" is open to anyone who may open the page; any other
    audience only to the viewers its app allows (fails closed when no app registers it)."""
    if audience == Audience.EVERYONE:
        return True
    allowed = audience_viewers().get(audience)
    return bool(allowed is not None and allowed(viewer))


def hidden_audiences(viewer) -> list[str]:
    """The audiences ``viewer`` may not see: their runs, invitations, answers and follow-ups are left
    out of what they are shown (:func:`visible_answers` and its siblings). Empty for those who may
    see them all."""
    return [audience for audience in Audience.values if not may_see_audience(viewer, audience)]


def visible_invitations(invitations: QuerySet, hidden: list[str]) -> QuerySet:
    """``invitations`` without those of runs to the ``hidden`` audiences (runless ones stay)."""
    return invitations.exclude(run__audience__in=hidden) if hidden else invitations


def visible_answers(answers: QuerySet, hidden: list[str]) -> QuerySet:
    """``answers`` without those given in runs to the ``hidden`` audiences."""
    return answers.exclude(invitation__run__audience__in=hidden) if hidden else answers


def visible_follow_ups(follow_ups: QuerySet, hidden: list[str]) -> QuerySet:
    """``follow_ups`` without those of answers given in runs to the ``hidden`` audiences."""
    return follow_ups.exclude(response__invitation__run__audience__in=hidden) if hidden else follow_ups
