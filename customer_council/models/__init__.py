"""The council's models, by concern; import them from here."""

from customer_council.models.agreements import Agreement, AgreementAcceptance, AgreementKind
from customer_council.models.ideas import (
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaMerge,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
    ProductArea,
    Team,
)
from customer_council.models.meetings import RSVP, ActionItem, AgendaItem, Meeting, PreRead, PreReadReceipt
from customer_council.models.membership import Cohort, Invitation, Membership, MembershipEvent
from customer_council.models.pages import CouncilIndexPage, CouncilPage
from customer_council.models.roadmap import RoadmapItem

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Agreement",
    "AgreementAcceptance",
    "AgreementKind",
    "Cohort",
    "CouncilIndexPage",
    "CouncilPage",
    "Idea",
    "IdeaComment",
    "IdeaFollow",
    "IdeaMerge",
    "IdeaStatus",
    "IdeaStatusChange",
    "IdeaVote",
    "Invitation",
    "Meeting",
    "Membership",
    "MembershipEvent",
    "PreRead",
    "PreReadReceipt",
    "ProductArea",
    "RSVP",
    "RoadmapItem",
    "Team",
]
