"""Template tags the knowledge-base templates use to show support features."""

from django import template

from sitewide.reader import reader_of
from support.vote_widget import widget_context
from support.votes import current_vote

register = template.Library()


@register.inclusion_tag("support/includes/article_vote.html", takes_context=True)
def article_vote(context, page):
    """The "Did this solve your problem?" box for an article (one query for a reader with a cookie)."""
    request = context["request"]
    if getattr(request, "is_preview", False) or not page.pk:  # an editor's preview: nothing to vote on yet
        return {"hidden": True}
    return widget_context(request, page, current_vote(reader_of(request), page), related=context.get("related"))
