"""The knowledge base's models. Submodules by concern; this module only re-exports."""

from kb.models.pages import (
    ArticlePage,
    ArticlePageTag,
    CategoryPage,
    HelpCenterPage,
    RelatedArticle,
    section_anchors,
)
from kb.models.products import Product
from kb.models.search_analytics import SearchClick, SearchEvent
from kb.models.stats import ArticleDailyView

__all__ = [
    "ArticleDailyView",
    "ArticlePage",
    "ArticlePageTag",
    "CategoryPage",
    "HelpCenterPage",
    "Product",
    "RelatedArticle",
    "SearchClick",
    "SearchEvent",
    "section_anchors",
]
