"""How forum views answer a refused action or an anonymous caller: a message and the right status."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum.services import ActionRefused
from sitewide.ratelimit import rate_limited


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refused_response(request, error: ActionRefused):
    if wants_json(request):
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return render(request, "forum/refused.html", {"message": error.message}, status=error.status)


def refusals_as_responses(view):
    """A view whose service call is refused answers with the refusal's message and status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as error:
            return refused_response(request, error)

    return wrapper


def member_required(view):
    """Like login_required, but fetch() callers get a 403 JSON answer instead of a redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request) or request.headers.get("HX-Request"):
            return JsonResponse({"error": _("Log in to take part in the forum.")}, status=403)
        return redirect_to_login(request.get_full_path())

    return wrapper


def writes_rate_limited(action: str):
    """settings.RATE_LIMITS[action] for the view's POSTs only (showing its form costs nothing),
    answered as JSON to fetch() callers that ask for it."""

    def decorator(view):
        as_text, as_json = rate_limited(action)(view), rate_limited(action, json=True)(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            return (as_json if wants_json(request) else as_text)(request, *args, **kwargs)

        return wrapper

    return decorator
