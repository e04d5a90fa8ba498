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
from customer_council.models.membership import Cohort, Invitation, Membership, MembershipEvent
from customer_council.models.pages import CouncilIndexPage, CouncilPage

__all__ = [
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
    "Membership",
    "MembershipEvent",
    "ProductArea",
    "Team",
]
