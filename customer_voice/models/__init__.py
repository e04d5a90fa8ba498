"""Customer voice models, by concern: surveys and their answers, detractor follow-ups, referrals,
digests. Lower submodules never import higher ones; this module only re-exports."""

from customer_voice.models.digests import DigestDelivery, DigestIssue
from customer_voice.models.followups import FollowUp
from customer_voice.models.referrals import Referral, ReferralClicks, ReferralLink
from customer_voice.models.surveys import SurveyInvitation, SurveyResponse, SurveyRun

__all__ = [
    "DigestDelivery",
    "DigestIssue",
    "FollowUp",
    "Referral",
    "ReferralClicks",
    "ReferralLink",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyRun",
]
