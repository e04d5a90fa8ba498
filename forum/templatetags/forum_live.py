"""Template tags of the forum's live side: the notification bell and the Watch button.

Each costs one query, so any page can show them without its view knowing about notifications.
"""

from django import template

from forum.services.notifications import is_watching, unread_count

register = template.Library()


@register.inclusion_tag("forum/includes/notification_bell.html", takes_context=True)
def notification_bell(context):
    """The bell with the member's unread count (one COUNT on the partial index of unread rows)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"request": request, "unread": unread}


@register.inclusion_tag("forum/includes/watch_button.html", takes_context=True)
def watch_button(context, topic):
    """Watch / Stop watching, for a logged-in member."""
    request = context.get("request")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "topic": topic,
        "watching": is_watching(request.user, topic),
    }
