"""The story index of every language: /<lang>/stories/, made by code, not by editors.

Each language's help-center home gets one :class:`~stories.models.StoryIndexPage` with the slug
"stories", published; the indexes of all languages are translations of one another (the
language switcher). :func:`ensure_story_indexes` runs after every ``migrate``
(stories.signals); it is idempotent: a second run changes nothing.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from kb.models import HelpCenterPage
from stories.models import StoryIndexPage

#: The index's slug in every language: /<lang>/stories/.
INDEX_SLUG = "stories"


@transaction.atomic
def ensure_story_index(help_center: HelpCenterPage) -> StoryIndexPage:
    """The story index under this language's help-center home, made and published when missing."""
    story_index = StoryIndexPage.objects.child_of(help_center).first()
    if story_index is not None:
        return story_index
    with translation.override(help_center.locale.language_code):
        title = gettext("Customer stories")
    story_index = StoryIndexPage(title=title, slug=INDEX_SLUG, locale=help_center.locale)
    sibling = StoryIndexPage.objects.order_by("pk").first()
    if sibling is not None:
        story_index.translation_key = sibling.translation_key
    help_center.add_child(instance=story_index)
    story_index.save_revision().publish()
    return story_index


def ensure_story_indexes() -> list[StoryIndexPage]:
    """:func:`ensure_story_index` for every language's help-center home."""
    return [ensure_story_index(home) for home in HelpCenterPage.objects.order_by("path")]
