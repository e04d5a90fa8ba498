"""Customer success stories. Submodules by concern; this module only re-exports."""

from stories.models.customers import Customer
from stories.models.pages import StoryArticle, StoryIndexPage, StoryPage

__all__ = ["Customer", "StoryArticle", "StoryIndexPage", "StoryPage"]
