"""Council factories: memberships in every state, agreements, managers, ideas."""

from datetime import timedelta
from itertools import count

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP, sync_access
from customer_council.models import Agreement, AgreementAcceptance, AgreementKind, Cohort, Membership
from tests.factories import UserFactory

_counter = count(1)


def make_cohort(name=None, *, starts_on=None, ends_on=None) -> Cohort:
    today = timezone.localdate()
    return Cohort.objects.create(
        name=name or f"Cohort {next(_counter)}",
        starts_on=starts_on or today - timedelta(days=30),
        ends_on=ends_on or today + timedelta(days=335),
    )


def make_agreements(version=1, *, language="en") -> list[Agreement]:
    """Publish the charter and the confidentiality agreement (Wagtail revisions, live)."""
    locale = Locale.objects.get(language_code=language)
    made = []
    for kind, title in ((AgreementKind.CHARTER, "Council charter"), (AgreementKind.CONFIDENTIALITY, "Confidentiality")):
        agreement = Agreement.objects.filter(kind=kind, locale=locale).first() or Agreement(kind=kind, locale=locale)
        agreement.title, agreement.body, agreement.version = title, f"<p>{title} v{version}.</p>", version
        agreement.save()
        agreement.save_revision().publish()
        made.append(agreement)
    return made


def accept_agreements(user, language="en") -> None:
    for agreement in Agreement.objects.filter(live=True):
        AgreementAcceptance.objects.get_or_create(
            user=user,
            kind=agreement.kind,
            version=agreement.version,
            defaults={"language": language, "revision": agreement.live_revision},
        )


def make_membership(user=None, *, state=Membership.State.ACTIVE, cohort=None, term_end=None, **fields) -> Membership:
    """A membership (active by default, term covering today) with its access group in step."""
    today = timezone.localdate()
    user = user if user is not None else UserFactory()
    cohort = cohort or make_cohort()
    membership = Membership.objects.create(
        cohort=cohort,
        user=None if state == Membership.State.INVITED else user,
        email=user.email,
        state=state,
        term_start=fields.pop("term_start", today - timedelta(days=30)),
        term_end=term_end or today + timedelta(days=335),
        **fields,
    )
    if state == Membership.State.ACTIVE:
        accept_agreements(user)
    if membership.user is not None:
        sync_access(user)
    return membership


def make_council_member(**user_fields):
    """An active member in term who has accepted the current agreements (in the access group)."""
    user = UserFactory(**user_fields)
    make_membership(user)
    return user


def make_council_manager(**user_fields):
    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return user


def access_group() -> Group:
    return Group.objects.get(name=ACCESS_GROUP)
