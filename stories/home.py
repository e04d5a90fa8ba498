"""The help-center home's story panel: the latest featured story in the home's language.

Registered with kb.home_panels in StoriesConfig.ready, so kb shows it without importing stories.
"""

from kb.visibility import visible_pages
from stories.models import StoryPage
from stories.models.pages import with_card_images


def latest_featured_story(home, reader) -> StoryPage | None:
    """The newest featured story under ``home`` the reader may open (three queries, whatever the count)."""
    stories = visible_pages(StoryPage.objects.descendant_of(home).filter(featured=True), reader)
    return with_card_images(stories.select_related("customer", "consent").order_by("-publish_date", "-pk")).first()


def latest_featured_story_panel(home, reader) -> dict | None:
    story = latest_featured_story(home, reader)
    return {"story": story} if story is not None else None
