"""A small fixed-window rate limit for cheap-to-abuse public endpoints (search, suggestions), and
an attempt limit for guesses (page passwords) where only the failures count.

Counts live in the cache (Redis when REDIS_URL is set, so all processes share them) under a key
made from a keyed hash of the client address: nothing about the client is written to the database.
"""

import hashlib
import hmac
import time
from contextlib import suppress
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class Attempt:
    """One request counted against settings.RATE_LIMITS[action] in the current window."""

    key: str
    #: False once the client has gone over the limit in this window.
    allowed: bool
    #: Seconds until the window ends (the Retry-After of a 429).
    retry_after: int

    def refund(self) -> None:
        """Take this attempt back (it succeeded, and only failures count)."""
        # The window may have ended (or the count been evicted): then there is nothing to take back.
        with suppress(ValueError):
            cache.decr(self.key)


def take_attempt(action: str, request, *, scope: str = "") -> Attempt:
    """Count one request of this client (and ``scope``, e.g. one page restriction) in the window.

    Counted before the work is done, so concurrent requests cannot all slip under the limit.
    """
    limit, window = settings.RATE_LIMITS[action]
    bucket = int(time.time() // window)
    key = f"ratelimit:{action}:{scope}:{client_key(request)}:{bucket}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return Attempt(key=key, allowed=count <= limit, retry_after=window - int(time.time()) % window)


def too_many_requests(attempt: Attempt, message: str, *, json: bool = False) -> HttpResponse:
    """The 429 answer, with Retry-After."""
    if json:
        response = JsonResponse({"results": [], "error": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(attempt.retry_after)
    return response


def rate_limited(action: str, *, json: bool = False):
    """Allow settings.RATE_LIMITS[action] = (requests, seconds) per client; then answer 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.META.get("REMOTE_ADDR", "") in settings.RATE_LIMIT_EXEMPT_ADDRESSES:
                return view(request, *args, **kwargs)
            attempt = take_attempt(action, request)
            if not attempt.allowed:
                message = _("Too many requests. Please wait a minute and try again.")
                return too_many_requests(attempt, message, json=json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
