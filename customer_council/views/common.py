"""Pieces every council view module shares: JSON for fetch() callers, and rate limits on writes."""

from functools import wraps

from sitewide.ratelimit import rate_limited


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def limited(action: str):
    """settings.RATE_LIMITS[action] for POSTs, answered as JSON to fetch() callers."""

    def decorator(view):
        as_text, as_json = rate_limited(action)(view), rate_limited(action, json=True)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            return (as_json if wants_json(request) else as_text)(request, *args, **kwargs)

        return wrapped

    return decorator
