from wagtail import hooks
from wagtail.snippets.models import register_snippet

from kb.models import ArticlePage
from kb.views_counter import record_article_view
from kb.viewsets import ProductViewSet

register_snippet(ProductViewSet)


@hooks.register("before_serve_page")
def count_article_views(page, request, serve_args, serve_kwargs):
    if isinstance(page, ArticlePage):
        record_article_view(page, request)
