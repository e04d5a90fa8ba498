"""Publishing an agreement re-checks every member's access.

A new version (a higher ``version`` than members have accepted) takes each member out of the
"Council members" group, and closes their council sockets, until they accept it on the
agreements page; unpublishing one may let them back in. Re-checking is cheap (a council has tens
of members) and idempotent, so a typo fix published under the same version changes nobody.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.signals import published, unpublished

from customer_council.access import access_group_id, sync_members
from customer_council.models import Agreement, Membership


def members_to_recheck():
    """Everyone who holds an active seat or is in the access group."""
    active = Membership.objects.filter(state=Membership.State.ACTIVE, user__isnull=False).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=active) | Q(groups=access_group_id()))


def recheck_members_after_publishing(sender, instance, **kwargs):
    # provides args: instance, revision (published) / instance (unpublished)
    sync_members(members_to_recheck().distinct().order_by("pk"))


def connect_receivers() -> None:
    published.connect(recheck_members_after_publishing, sender=Agreement, dispatch_uid="council.agreement_published")
    unpublished.connect(
        recheck_members_after_publishing, sender=Agreement, dispatch_uid="council.agreement_unpublished"
    )
