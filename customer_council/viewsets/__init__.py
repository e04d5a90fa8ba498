"""The council in the Wagtail admin, for council managers: one "Council" menu gathering each
concern's viewsets (membership, ideas, roadmap, meetings; a module each). Registered in
customer_council.wagtail_hooks.

Who may use them is :class:`~customer_council.viewsets.policy.CouncilManagersPolicy`: council
managers and superusers, decided in code by :func:`customer_council.access.is_manager` (the same
answer as the public council's door), plus anyone an administrator grants the model permissions
to in Settings › Groups.
"""

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSetGroup

from customer_council.models import Agreement, Cohort, Membership, MembershipEvent
from customer_council.viewsets import ideas, meetings, roadmap
from customer_council.viewsets.membership import (
    AgreementViewSet,
    CohortViewSet,
    MembershipEventReportViewSet,
    MembershipViewSet,
)
from customer_council.viewsets.policy import CouncilManagersPolicy

#: Every model the council's admin screens edit: their permissions follow CouncilManagersPolicy.
POLICY_MODELS = [
    Cohort,
    Membership,
    MembershipEvent,
    Agreement,
    *ideas.POLICY_MODELS,
    *roadmap.POLICY_MODELS,
    *meetings.POLICY_MODELS,
]


class CouncilViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Council")
    menu_icon = "group"
    menu_order = 260
    items = [
        CohortViewSet(),
        MembershipViewSet("council_memberships", url_prefix="council/memberships"),
        AgreementViewSet(),
        MembershipEventReportViewSet("council_membership_events", url_prefix="council/membership-changes"),
        *ideas.ADMIN_VIEWSETS,
        *roadmap.ADMIN_VIEWSETS,
        *meetings.ADMIN_VIEWSETS,
    ]


__all__ = ["POLICY_MODELS", "CouncilManagersPolicy", "CouncilViewSetGroup"]
