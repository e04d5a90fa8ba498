"""Referral pages: following a member's link (/r/<code>/) and a member's own link (/<lang>/refer/)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_from_request
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customer_voice.services import referrals
from sitewide.ratelimit import rate_limited
from sitewide.reader import reader_of


def _home_in_the_visitors_language(request) -> str:
    """The help-center home in the language LocaleMiddleware chose (cookie, Accept-Language):
    a path of this site, never one the link or the visitor supplies."""
    language = get_language_from_request(request)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return f"/{language}/"


@never_cache
@require_GET
@rate_limited("voice_referral_click")
def follow_link(request, code):
    """Count a click on a member's link, remember it for a sign-up (first touch), go home.

    A code that is not shaped like one answers 404 before the database is asked. Robots are sent
    home uncounted and without a cookie; so is the link's owner trying their own link. A logged-in
    member is counted but gets no cookie: they will not sign up. An earlier, still valid referral
    cookie is kept (first touch).
    """
    if not referrals.is_code(code):
        raise Http404
    response = HttpResponseRedirect(_home_in_the_visitors_language(request))
    reader = reader_of(request)
    if reader.is_bot:
        return response
    user = reader.authenticated_user
    link = referrals.active_link(code)
    if link is None or (user is not None and user.pk == link.owner_id):
        return response
    referrals.record_click(code)
    if user is None and referrals.read_first_touch_cookie(request.COOKIES.get(referrals.COOKIE_NAME)) is None:
        response.set_cookie(
            referrals.COOKIE_NAME,
            referrals.first_touch_cookie(code, timezone.now()),
            max_age=int(referrals.cookie_lifetime().total_seconds()),
            httponly=True,
            samesite="Lax",
            # Secure over https, and always where the session cookie is (production).
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        )
    return response


@login_required
@require_GET
def refer(request):
    """The member's personal link, a copy button and how many people signed up through it."""
    link = referrals.link_for(request.user)
    if link is None:  # a deactivated account that is somehow still logged in
        raise PermissionDenied
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("voice_public:referral", args=[link.code])
    return render(
        request,
        "customer_voice/referrals/refer.html",
        {
            "referral_url": url,
            "referred_count": referrals.referred_count(link),
            "cookie_days": settings.VOICE_REFERRAL_COOKIE_DAYS,
        },
    )
