"""Counting article views for "popular articles", skipping obvious bots and staff previews."""

from kb.models import ArticleDailyView
from kb.signals import article_viewed
from sitewide.reader import reader_of


def record_article_view(page, request) -> None:
    if request.method != "GET" or getattr(request, "is_preview", False) or reader_of(request).is_bot:
        return
    ArticleDailyView.add_view(page.pk)
    article_viewed.send(sender=type(page), page=page, request=request)
