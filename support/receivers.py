"""Signal receivers of the support app, connected in SupportConfig.ready."""

from kb.signals import article_viewed
from support.events import record_event
from support.models import Event


def record_article_view(sender, page, request, **kwargs):
    """Every counted article view (kb.views_counter) is also an ARTICLE_VIEWED event."""
    record_event(Event.Kind.ARTICLE_VIEWED, request=request, article=page)


def connect():
    article_viewed.connect(record_article_view, dispatch_uid="support.record_article_view")
