"""Haystack indexes for knowledge-base content (the search service is built on these)."""

from haystack import indexes

from kb.models import ArticlePage


class ArticlePageIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    language = indexes.CharField(faceted=True)
    url_path = indexes.CharField(model_attr="url_path", indexed=False)

    def get_model(self):
        return ArticlePage

    def index_queryset(self, using=None):
        return self.get_model().objects.live().public().select_related("locale")

    def prepare_language(self, page):
        return page.locale.language_code

    def prepare_text(self, page):
        parts = [page.title, page.summary]
        for block in page.body:
            parts.extend(str(text) for text in block.block.get_searchable_content(block.value))
        return "\n".join(part for part in parts if part)
