"""A small fixed-window rate limit for cheap-to-abuse public endpoints (search, suggestions).

Counts live in the cache (Redis when REDIS_URL is set, so all processes share them) under a key
made from a keyed hash of the client address: nothing about the client is written to the database.
"""

import hashlib
import hmac
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def rate_limited(action: str, *, json: bool = False):
    """Allow settings.RATE_LIMITS[action] = (requests, seconds) per client; then answer 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.META.get("REMOTE_ADDR", "") in settings.RATE_LIMIT_EXEMPT_ADDRESSES:
                return view(request, *args, **kwargs)
            limit, window = settings.RATE_LIMITS[action]
            bucket = int(time.time() // window)
            key = f"ratelimit:{action}:{client_key(request)}:{bucket}"
            cache.add(key, 0, timeout=window * 2)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr: count this request as the first
                cache.set(key, 1, timeout=window * 2)
                count = 1
            if count > limit:
                message = _("Too many requests. Please wait a minute and try again.")
                retry_after = str(window - int(time.time()) % window)
                if json:
                    response = JsonResponse({"results": [], "error": message}, status=429)
                else:
                    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
                response["Retry-After"] = retry_after
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
