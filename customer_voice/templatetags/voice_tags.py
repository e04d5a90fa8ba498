"""Template tags of customer_voice: ``{% nps_prompt %}``, the small in-site NPS invitation."""

from django import template

from customer_voice.services.surveys import NPS_PROMPT_DISMISSED_KEY, is_due_for_nps

register = template.Library()


@register.inclusion_tag("customer_voice/surveys/nps_prompt.html", takes_context=True)
def nps_prompt(context):
    """A dismissible invitation to the in-site NPS survey, for a logged-in customer who is due.

    No query for anonymous visitors, staff, people without feedback consent or a dismissed
    prompt (all known from the user row and the session the page already loaded); one query
    otherwise (is_due_for_nps)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and not request.session.get(NPS_PROMPT_DISMISSED_KEY)
        and is_due_for_nps(user)
    )
    return {"show": show, "request": request, "csrf_token": context.get("csrf_token")}
