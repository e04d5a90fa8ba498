"""Customer success stories. Submodules by concern; this module only re-exports."""

from stories.models.consent import ApprovalLink, Consent, ConsentEvent
from stories.models.customers import Customer
from stories.models.pages import StoryArticle, StoryIndexPage, StoryPage
from stories.models.submissions import StorySubmission
from stories.models.workflow import CustomerApprovalTask

__all__ = [
    "ApprovalLink",
    "Consent",
    "ConsentEvent",
    "Customer",
    "CustomerApprovalTask",
    "StoryArticle",
    "StoryIndexPage",
    "StoryPage",
    "StorySubmission",
]
