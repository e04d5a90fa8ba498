"""The password form of a password-protected page, with a limit on wrong guesses.

Wagtail serves a password-protected page as a form that posts to its view
``wagtail.views.authenticate_with_password``, which checks the password as often as anyone
asks. kb.urls mounts this view on the same path ahead of Wagtail's URLs (so the form's action,
reversed by Wagtail, lands here) and lets each client make settings.RATE_LIMITS["page_password"]
wrong guesses per restriction and window; after that every guess, right or wrong, is answered
429 until the window ends. Only failures count: a right password takes its attempt back.

Unlike the other rate limits, settings.RATE_LIMIT_EXEMPT_ADDRESSES does not apply: a health check
or a benchmark never needs to guess a password.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import PageViewRestriction

from sitewide.ratelimit import take_attempt

ACTION = "page_password"


@never_cache
def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's view, behind the attempt limit; the same URL arguments and the same answers."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    attempt = take_attempt(ACTION, request, scope=f"restriction-{page_view_restriction_id}")
    if not attempt.allowed:
        # The password form again, in the site's layout, saying why; the guess is not checked.
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        response = TemplateResponse(
            request,
            "wagtailcore/password_required.html",
            {
                "form": PasswordViewRestrictionForm(
                    instance=restriction, initial={"return_url": request.POST.get("return_url", "")}
                ),
                "action_url": request.path,
                "refused": _("Too many wrong passwords for this page. Please wait a few minutes and try again."),
            },
            status=429,
        )
        response["Retry-After"] = str(attempt.retry_after)
        return response
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code in (301, 302, 303, 307, 308):  # Wagtail redirects only for the right password
        attempt.refund()
    return response
