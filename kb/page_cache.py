"""Public article and category pages in the shared page cache (sitewide.page_cache).

Every Wagtail page depends on the scope "pages": publishing, unpublishing, moving or deleting a
page, or editing a product, renders every cached page afresh (related articles, category
listings and breadcrumbs change with them). Only public pages are stored: no view restriction
on the page or an ancestor. A hit still counts the article view, as serving it would.
"""

from django.db.models.signals import post_delete, post_save
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.views import serve

from kb.models import ArticlePage, CategoryPage, Product
from kb.views_counter import record_article_view
from sitewide import page_cache

SCOPE = "pages"
KINDS = {ArticlePage: "article", CategoryPage: "category"}


def claim_wagtail_page(view_func, view_kwargs):
    if view_func is serve:
        return page_cache.Claim(kind="page", object_id=None, scopes=(SCOPE,), confirmed=False)
    return None


@hooks.register("before_serve_page")
def confirm_public_page(page, request, serve_args, serve_kwargs):
    kind = KINDS.get(type(page))
    if kind is None or not page_cache.is_pending(request) or getattr(request, "is_preview", False):
        return
    if PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True)).exists():
        return
    page_cache.confirm(request, kind=kind, object_id=page.pk, revision_id=page.live_revision_id)


def count_article_view(request, entry) -> None:
    record_article_view(ArticlePage(pk=entry["object_id"], live_revision_id=entry["extra"]["revision_id"]), request)


def forget_pages(**kwargs) -> None:
    page_cache.bump(SCOPE)


def connect() -> None:
    page_cache.register_claim("kb", claim_wagtail_page)
    page_cache.add_hit_action("article", count_article_view)
    page_published.connect(forget_pages, dispatch_uid="kb.page_cache.published")
    page_unpublished.connect(forget_pages, dispatch_uid="kb.page_cache.unpublished")
    post_page_move.connect(forget_pages, dispatch_uid="kb.page_cache.moved")
    for model in (ArticlePage, CategoryPage):
        post_delete.connect(forget_pages, sender=model, dispatch_uid=f"kb.page_cache.deleted.{model.__name__}")
    post_save.connect(forget_pages, sender=Product, dispatch_uid="kb.page_cache.product_saved")
    post_delete.connect(forget_pages, sender=Product, dispatch_uid="kb.page_cache.product_deleted")
