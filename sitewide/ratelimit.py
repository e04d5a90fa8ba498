"""A small fixed-window rate limit for cheap-to-abuse public endpoints (search, suggestions), and
an attempt limit for guesses (page passwords) where only the failures count.

Counts live in the cache (Redis when REDIS_URL is set, so all processes share them) under a key
made from a keyed hash of the client address: nothing about the client is written to the database.

The client address is the direct peer's (REMOTE_ADDR) unless that peer is one of
settings.TRUSTED_PROXIES: then it is the right-most address of X-Forwarded-For that is not a
trusted proxy, the last hop a trusted machine saw. Addresses further left were written by the
client and prove nothing, so a client cannot pick its own bucket by sending the header; and
behind the proxy every client still gets a bucket of its own.
"""

import hashlib
import hmac
import ipaddress
import time
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address written in ``text`` ("203.0.113.7", "2001:db8::1", "[2001:db8::1]"), or None."""
    text = text.strip().removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d: one client, one address.
    return getattr(address, "ipv4_mapped", None) or address


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address) -> bool:
    return any(address in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the client that sent ``request``, as far as this site can know it.

    REMOTE_ADDR, unless that is a trusted proxy (settings.TRUSTED_PROXIES): then the right-most
    X-Forwarded-For entry that is not one. A header that cannot be read (garbage in it, or only
    trusted proxies) leaves the last proxy's address: a shared bucket, never one the client chose.
    """
    peer_text = request.META.get("REMOTE_ADDR", "")
    peer = parse_address(peer_text)
    if peer is None or not is_trusted_proxy(peer):
        return str(peer) if peer is not None else peer_text
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        hop = parse_address(entry)
        if hop is None:
            # Garbage between the client and our proxies: nothing further left can be believed.
            break
        if not is_trusted_proxy(hop):
            return str(hop)
    return str(peer)


def client_key(request) -> str:
    """A keyed hash of the client's address; an IPv6 client counts by its /64, the block one
    home or device is given, so stepping through its own addresses does not reset its counts."""
    address = client_address(request)
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        address = str(ipaddress.IPv6Network((parsed, 64), strict=False))
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
            if client_address(request) in settings.RATE_LIMIT_EXEMPT_ADDRESSES:
                return view(request, *args, **kwargs)
            attempt = take_attempt(action, request)
            if not attempt.allowed:
                message = _("Too many requests. Please wait a minute and try again.")
                return too_many_requests(attempt, message, json=json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
