"""Customer stories in the unified search, as the result type "story".

A story's document has the shared fields of kb.search_indexes (text, title, title_words,
language, category, content_type, audience, url, summary, spelling). Its audiences come from
kb.visibility like any help page's, so a story under Wagtail privacy is searched only by those
it is open to, lends no word to "Did you mean", and kb.search.indexing keeps it fresh (publish,
unpublish, move, privacy changes). Each hit is re-checked against kb.visibility's page filter
before it is shown (:func:`register_hit_check`): an unpublished or restricted story is neither
shown nor counted.
"""

from kb import search_indexes as kb_indexes
from kb.search.visibility import register
from kb.visibility import visible_page_urls
from stories.models import StoryPage

#: The result type of every story hit (the search page labels it "Story").
RESULT_TYPE = "story"
#: The search-index kind of a story (kb.search.visibility's model label).
STORY_LABEL = "stories.storypage"


class StoryPageIndex(kb_indexes.ArticlePageIndex):
    """A story: an article's document with the story's own text, under the type "story".

    (The base class is named through its module: haystack registers every index class a
    search_indexes module holds, and would find the help articles' index here a second time.)
    """

    def get_model(self):
        return StoryPage

    def index_queryset(self, using=None):
        return StoryPage.objects.live().select_related("locale", "customer", "consent")

    def prepare_content_type(self, page):
        return RESULT_TYPE

    def prepare_text(self, page):
        parts = [page.title, page.headline, page.summary, page.customer_label]
        for html in (page.challenge, page.solution, page.results):
            parts.append(kb_indexes.searchable_html(html))
        for block in page.shown_figures():
            parts.append(block.value["label"])
        for block in page.shown_quotes():
            parts.extend([block.value["quote"], block.value["person"], block.value["role"]])
        return "\n".join(part for part in parts if part)


def register_hit_check() -> None:
    register(STORY_LABEL, visible_page_urls)
