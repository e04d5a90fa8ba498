"""Who may enter the council now, and the one group that says so to every other exit.

A user may enter when they hold an *active* membership whose term covers today and have accepted
the current version of every published agreement (charter, confidentiality). That answer is
mirrored in the "Council members" group, which the layers below already understand without
knowing about the council: Wagtail page and collection privacy, the search audiences of
kb.visibility (``group:<id>``), forum categories restricted to a group. So there is one rule
(:func:`may_enter`) and one place that applies it (:func:`sync_access`), called by every
membership change, by agreement publishing, by :class:`CouncilAccessMiddleware` on each request
of a user in the group (a term that ended at midnight shuts its member out on their next request,
before any view runs), and by the consumers before they forward a council event.
"""

from __future__ import annotations

from functools import lru_cache

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from customer_council.models import Agreement, AgreementAcceptance, Meeting, Membership
from sitewide.reader import Reader

#: The group whose members may see council content now (made by migration 0002).
ACCESS_GROUP = "Council members"
#: The group of staff who run the council (accounts migration 0002).
MANAGERS_GROUP = "Council managers"


@lru_cache(maxsize=1)
def access_group_id() -> int:
    return Group.objects.get(name=ACCESS_GROUP).pk


def access_group() -> Group:
    return Group.objects.get(pk=access_group_id())


def is_manager(user) -> bool:
    """Council managers (and superusers) run the council; they see everything in it.

    Asked many times a request (the admin's menu and permission policy ask per item): the answer
    is kept on the user object, which lives for one request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_council_is_manager", None)
    if cached is None:
        cached = user._council_is_manager = user.groups.filter(name=MANAGERS_GROUP).exists()
    return cached


def current_membership(user) -> Membership | None:
    """The user's active membership whose term covers today, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE, term_start__lte=today, term_end__gte=today)
        .select_related("cohort")
        .order_by("-term_end")
        .first()
    )


def current_versions() -> dict[str, int]:
    """The version members must have accepted, per kind of published agreement."""
    return dict(Agreement.objects.filter(live=True).values_list("kind").annotate(version=Max("version")).order_by())


def pending_agreements(user) -> list[str]:
    """The kinds of agreement whose current version this user has not accepted yet."""
    required = current_versions()
    if not required:
        return []
    accepted = set(
        AgreementAcceptance.objects.filter(user=user, kind__in=list(required)).values_list("kind", "version")
    )
    return [kind for kind, version in sorted(required.items()) if (kind, version) not in accepted]


def may_enter(user) -> bool:
    """The one rule: an active member in term who has accepted the current agreements."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return current_membership(user) is not None and not pending_agreements(user)


def sync_access(user) -> bool:
    """Put the user in or out of the access group to match :func:`may_enter`; return the answer.

    Leaving the group also closes the user's open council sockets (after the commit, so a
    rolled-back change closes nothing).
    """
    allowed = may_enter(user)
    group_id = access_group_id()
    in_group = user.groups.filter(pk=group_id).exists()
    if allowed and not in_group:
        user.groups.add(group_id)
    elif not allowed and in_group:
        user.groups.remove(group_id)
        transaction.on_commit(lambda: _close_council_sockets(user.pk))
    return allowed


def sync_members(users) -> int:
    """:func:`sync_access` for many users (after an agreement is published); how many lost access."""
    lost = 0
    for user in users:
        if not sync_access(user):
            lost += 1
    return lost


def _close_council_sockets(user_id: int) -> None:
    """Tell every open council socket of this user to close (customer_council.consumers)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(f"council.user.{user_id}", {"type": "council.access_ended"})


class CouncilAccessMiddleware:
    """Re-check the rule for users in the access group, before any view or search runs.

    Costs nothing for anonymous visitors and one query (the user's groups, which the Reader reads
    anyway for audiences) for other users; members pay two or three more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reader = getattr(request, "reader", None)
            group_ids = reader.group_ids if reader is not None else set(user.groups.values_list("pk", flat=True))
            if access_group_id() in group_ids and not may_enter(user):
                sync_access(user)
                # The reader was built with the old groups: build it again.
                request.reader = Reader.from_request(request)
        return self.get_response(request)


# --- Meetings: the whole council's, and each cohort's for its own seats ---------------------------


def _current_cohort_ids(user):
    today = timezone.localdate()
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, term_start__lte=today, term_end__gte=today
    ).values("cohort_id")


def visible_meetings(user) -> QuerySet:
    """The meetings this person may open: every one for managers; for members who may enter, the
    whole council's and those of a cohort they sit on now; none for anyone else."""
    if is_manager(user):
        return Meeting.objects.all()
    if not may_enter(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(Q(cohort__isnull=True) | Q(cohort_id__in=_current_cohort_ids(user)))
