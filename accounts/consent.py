"""Consent to email: the one place that changes it, so every change lands in the ledger.

``set_consent`` flips the flag on the user (what mailing code filters on) and appends a
:class:`~accounts.models.ConsentRecord` with the time and where the change came from, in one
transaction. Asking for what already holds writes nothing: the ledger records changes, not clicks.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import ConsentRecord, User

#: The User fields behind each topic: (flag, time of the last grant).
FIELDS = {
    ConsentRecord.Topic.NEWSLETTER: ("marketing_opt_in", "marketing_opt_in_at"),
    ConsentRecord.Topic.FEEDBACK: ("feedback_opt_in", "feedback_opt_in_at"),
}


def has_consent(user: User, topic: str) -> bool:
    return bool(getattr(user, FIELDS[topic][0]))


def set_consent(user: User, topic: str, granted: bool, source: str, *, at=None) -> bool:
    """Grant or withdraw ``topic`` for ``user``; True if it changed (and a record was written)."""
    flag, since = FIELDS[ConsentRecord.Topic(topic)]
    if source not in ConsentRecord.Source.values:
        raise ValueError(f"Unknown consent source {source!r}")
    at = at or timezone.now()
    with transaction.atomic():
        # Re-read under the transaction: two tabs (or a mail client's one-click POST and a click)
        # must not both record the same change.
        current = User.objects.select_for_update().filter(pk=user.pk).values_list(flag, flat=True).first()
        if current is None or bool(current) == bool(granted):
            setattr(user, flag, bool(current) if current is not None else getattr(user, flag))
            return False
        setattr(user, flag, bool(granted))
        setattr(user, since, at if granted else None)
        User.objects.filter(pk=user.pk).update(**{flag: bool(granted), since: at if granted else None})
        ConsentRecord.objects.create(user=user, topic=topic, granted=bool(granted), source=source, at=at)
    return True


def record_initial_consent(user: User, source: str) -> None:
    """Ledger rows for what a freshly created account was given (its flags already saved)."""
    rows = [
        ConsentRecord(user=user, topic=topic, granted=True, source=source, at=getattr(user, since) or timezone.now())
        for topic, (flag, since) in FIELDS.items()
        if getattr(user, flag)
    ]
    ConsentRecord.objects.bulk_create(rows)
