"""Template helpers for moderation: what a suspended member is told where they would take part,
and the moderators' link to the review queue in the site header."""

from django import template

from forum.models.moderation import suspension_of
from forum.permissions import is_moderator
from forum.services.moderation import pending_count

register = template.Library()


@register.simple_tag
def suspension_notice(user) -> str:
    """The refusal a suspended member would get for posting, or "" (one query for members)."""
    suspension = suspension_of(user)
    return suspension.refusal_message() if suspension else ""


@register.inclusion_tag("forum/moderation/includes/queue_link.html", takes_context=True)
def moderation_queue_link(context):
    """The review queue with its pending count, for moderators only.

    One COUNT for a moderator; nothing for anyone else (the moderator check is the one the
    notification bell has already made and kept on the user for this request).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    moderator = user is not None and is_moderator(user)
    return {"request": request, "show": moderator, "pending": pending_count(user) if moderator else 0}
