"""Counting article views for "popular articles", skipping obvious bots and staff previews."""

import re

from kb.models import ArticleDailyView
from kb.signals import article_viewed

#: User agents of crawlers, link previewers and monitoring tools: their visits are not readers.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|preview|monitor|curl|wget|python-requests|httpx|headless",
    re.IGNORECASE,
)


def is_probably_bot(request) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(BOT_USER_AGENT.search(agent))


def record_article_view(page, request) -> None:
    if request.method != "GET" or getattr(request, "is_preview", False) or is_probably_bot(request):
        return
    ArticleDailyView.add_view(page.pk)
    article_viewed.send(sender=type(page), page=page, request=request)
