"""Publishing an agreement re-checks every member's access; every migrate sets the council up.

A new version (a higher ``version`` than members have accepted) takes each member out of the
"Council members" group, and closes their council sockets, until they accept it on the
agreements page; unpublishing one may let them back in. Re-checking is cheap (a council has tens
of members) and idempotent, so a typo fix published under the same version changes nobody.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_migrate
from wagtail.signals import published, unpublished

from customer_council.access import access_group_id, sync_members
from customer_council.documents import ensure_council_collection
from customer_council.models import Agreement, Membership
from customer_council.sections import ensure_council_sections


def members_to_recheck():
    """Everyone who holds an active seat or is in the access group."""
    active = Membership.objects.filter(state=Membership.State.ACTIVE, user__isnull=False).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=active) | Q(groups=access_group_id()))


def recheck_members_after_publishing(sender, instance, **kwargs):
    # provides args: instance, revision (published) / instance (unpublished)
    sync_members(members_to_recheck().distinct().order_by("pk"))


def set_up_after_migrate(sender, **kwargs):
    # provides args: app_config, verbosity, interactive, using, apps, plan
    """After every ``migrate`` (make setup, a deploy): the private documents collection and a
    council section under each help center that exists, made or repaired (both idempotent). A help
    center imported later gets its section at the next migrate or ``load_demo``."""
    if kwargs.get("using", "default") != "default":
        return
    ensure_council_collection()
    ensure_council_sections()


def connect_receivers(app_config=None) -> None:
    published.connect(recheck_members_after_publishing, sender=Agreement, dispatch_uid="council.agreement_published")
    unpublished.connect(
        recheck_members_after_publishing, sender=Agreement, dispatch_uid="council.agreement_unpublished"
    )
    if app_config is not None:
        post_migrate.connect(set_up_after_migrate, sender=app_config, dispatch_uid="council.set_up_after_migrate")
