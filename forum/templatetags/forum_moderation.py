"""Template helpers for moderation: what a suspended member is told where they would take part."""

from django import template

from forum.models.moderation import suspension_of

register = template.Library()


@register.simple_tag
def suspension_notice(user) -> str:
    """The refusal a suspended member would get for posting, or "" (one query for members)."""
    suspension = suspension_of(user)
    return suspension.refusal_message() if suspension else ""
