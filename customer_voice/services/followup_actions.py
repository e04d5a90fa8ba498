"""What an agent does to a detractor follow-up: the one place that changes one.

``change_follow_up`` checks the agent's permission, validates, writes, and records each change in
Wagtail's audit log (customer_voice.audit), in one transaction. The follow-ups page in the admin,
tests and commands all call it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from customer_voice.audit import FOLLOW_UP_ASSIGNED, FOLLOW_UP_NOTE, FOLLOW_UP_STATE, log_follow_up_action
from customer_voice.models import FollowUp
from sitewide.errors import ActionRefused
from sitewide.text import clean_text, has_nul

#: Given to Support agents by customer_voice's migrations; superusers have every permission.
CHANGE_FOLLOW_UPS = "customer_voice.change_followup"
VIEW_FOLLOW_UPS = "customer_voice.view_followup"
ADMIN_ACCESS = "wagtailadmin.access_admin"
MAX_NOTE_LENGTH = FollowUp._meta.get_field("note").max_length
#: The states a follow-up is done in: they carry a closed_at.
DONE_STATES = (FollowUp.State.CLOSED, FollowUp.State.DROPPED)


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


#: ``assignee=UNCHANGED`` (the default) leaves the assignee alone; ``assignee=None`` unassigns.
UNCHANGED = _Unchanged()


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_change_follow_ups(user) -> bool:
    return _active(user) and user.has_perm(CHANGE_FOLLOW_UPS)


def can_view_follow_ups(user) -> bool:
    return _active(user) and user.has_perm(VIEW_FOLLOW_UPS)


def can_be_assigned(user) -> bool:
    """Staff who may work on follow-ups: admin access and the change permission."""
    return can_change_follow_ups(user) and user.has_perm(ADMIN_ACCESS)


def _holders(app_label: str, codename: str) -> QuerySet:
    """Ids of users given a permission through a group or directly."""
    User = get_user_model()
    return User.objects.filter(
        Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)
        | Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
    ).values("pk")


def assignable_agents() -> QuerySet:
    """Everyone a follow-up can be given to (one query), for the form's choices."""
    agents = Q(pk__in=_holders("customer_voice", "change_followup")) & Q(
        pk__in=_holders("wagtailadmin", "access_admin")
    )
    return get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | agents).order_by("email")


@transaction.atomic
def change_follow_up(user, follow_up: FollowUp, *, state=None, assignee=UNCHANGED, note=None) -> FollowUp:
    """Move ``follow_up`` to ``state``, give it to ``assignee`` (None: nobody) and/or set ``note``.

    Raises ActionRefused (nothing written) when the user may not change follow-ups, the state is
    not one of FollowUp.State, the assignee is not an agent, or the note is too long or holds NUL.
    """
    if not can_change_follow_ups(user):
        raise ActionRefused(_("Only support agents can change detractor follow-ups."), status=403)
    if state is not None and state not in FollowUp.State.values:
        raise ActionRefused(_("Choose one of the listed states."))
    if assignee is not UNCHANGED and assignee is not None and not can_be_assigned(assignee):
        raise ActionRefused(_("A follow-up can only be given to a support agent."))
    if note is not None:
        if has_nul(note):
            raise ActionRefused(_("The note contains a character that is not allowed."))
        note = clean_text(note).strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise ActionRefused(
                _("Keep the note under %(limit)s characters (it has %(length)s).")
                % {"limit": MAX_NOTE_LENGTH, "length": len(note)}
            )

    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    changed, entries = [], []
    if state is not None and state != follow_up.state:
        old = follow_up.state
        follow_up.state = state
        if state not in DONE_STATES:
            follow_up.closed_at = None
        elif old not in DONE_STATES:
            follow_up.closed_at = timezone.now()
        changed += ["state", "closed_at"]
        entries.append((FOLLOW_UP_STATE, {"old": old, "new": state}))
    if assignee is not UNCHANGED and getattr(assignee, "pk", None) != follow_up.assignee_id:
        follow_up.assignee = assignee
        changed.append("assignee")
        name = assignee.get_username() if assignee is not None else ""
        entries.append((FOLLOW_UP_ASSIGNED, {"assignee": name, "assignee_id": getattr(assignee, "pk", None)}))
    if note is not None and note != follow_up.note:
        follow_up.note = note
        changed.append("note")
        entries.append((FOLLOW_UP_NOTE, {"length": len(note)}))
    if changed:
        follow_up.save(update_fields=[*changed, "updated_at"])
    for action, data in entries:
        log_follow_up_action(follow_up, action, user, **data)
    return follow_up
