"""Template tags the knowledge-base templates use to show support features."""

from django import template

from support.vote_widget import widget_context
from support.votes import current_vote

register = template.Library()


@register.inclusion_tag("support/includes/article_vote.html", takes_context=True)
def article_vote(context, page):
    """The "Did this solve your problem?" box for an article (one query for a returning reader)."""
    request = context["request"]
    return widget_context(request, page, current_vote(request, page), related=context.get("related"))
