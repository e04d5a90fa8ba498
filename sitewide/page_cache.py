"""A small shared cache of whole public pages, for anonymous readers only.

Django's site-wide cache middleware keys on the URL and trusts ``Vary``; it would store a page
with someone's CSRF token, and cannot tell a page that shows a reader's own vote from one that
does not. This cache is explicit instead:

* **Who is served from it**: a GET or HEAD with no session cookie and no cookie other than the
  CSRF token, the language and the visitor id (sitewide.visitor), no htmx request, and no query
  string other than ``?page=N``. Anyone logged in, anyone with flash messages, any page opened
  with a visit id (``?from_contact=``) is rendered as usual.
* **What is stored**: only responses a *kind* of page claimed (kb: article and category pages;
  forum: topic pages), answered 200 to such a request, that set no cookie other than the CSRF
  and visitor cookies (the requester's own, set again on every hit) and carry no ``private`` or
  ``no-store`` Cache-Control. A page is not stored when the reader's visitor id was read while
  rendering it (its content may then be that visitor's, e.g. their vote).
* **CSRF**: tokens are replaced by a placeholder before storing; a hit puts the requester's
  own token back (``get_token``, which also sets their CSRF cookie), so forms on cached pages
  keep working and no one is ever handed another browser's token.
* **Invalidation**: an entry remembers the generation of each *scope* it depends on ("pages",
  "forum", "topic:<id>"), read before the view ran; :func:`bump` gives a scope a new generation
  after the writing transaction commits, so the next request renders afresh. Entries also expire
  after ``PAGE_CACHE_SECONDS``: with the in-memory cache (no REDIS_URL), each process has its own
  copy and a write made by another process (a command) shows within that time.

Apps register how to recognise their views and the scopes those read (:func:`register_claim`),
confirm from the view that a page may be stored when only the view knows (:func:`confirm`:
Wagtail pages, only public articles and categories), and say what a hit must check or still do
(:func:`add_hit_check`: a visitor who voted sees their own vote; :func:`add_hit_action`: count
the view).
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

from sitewide.visitor import VISITOR_COOKIE

ENTRY_PREFIX = "pagecache:entry"
GENERATION_PREFIX = "pagecache:generation"
#: Stands in a stored page where each form's CSRF token was.
CSRF_PLACEHOLDER = "__page_cache_csrf_token__"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CACHEABLE_QUERY = re.compile(r"^(page=\d{1,6})?$")
#: Response headers never stored (Django sets Content-Length again on the way out).
UNSTORED_HEADERS = {"content-length", "x-page-cache"}
#: Shown on every response the cache looked at: hit, stored (rendered and kept) or miss.
STATUS_HEADER = "X-Page-Cache"


@dataclass(frozen=True)
class Claim:
    """A kind's claim on a request about to run its view."""

    kind: str
    object_id: int | None
    scopes: tuple[str, ...]
    #: False: the view must still call :func:`confirm` (it knows the page type and privacy).
    confirmed: bool = True


#: (view_func, view_kwargs) -> Claim | None, one per app that has cacheable pages.
_claims: dict[str, Callable] = {}
#: kind -> [(request, entry) -> bool]: False renders the page afresh instead of serving the entry.
_hit_checks: dict[str, list[Callable]] = {}
#: kind -> [(request, entry) -> None]: what a served entry must still do (count the view).
_hit_actions: dict[str, list[Callable]] = {}


def register_claim(name: str, claim: Callable) -> None:
    _claims[name] = claim


def add_hit_check(kind: str, check: Callable) -> None:
    if check not in _hit_checks.setdefault(kind, []):
        _hit_checks[kind].append(check)


def add_hit_action(kind: str, action: Callable) -> None:
    if action not in _hit_actions.setdefault(kind, []):
        _hit_actions[kind].append(action)


@dataclass
class Pending:
    """What a miss remembers between the view's start and its response."""

    claim: Claim
    generations: dict[str, str]
    confirmed: bool = False
    kind: str = ""
    object_id: int | None = None
    extra: dict = field(default_factory=dict)


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def enabled() -> bool:
    return seconds() > 0


def generation_key(scope: str) -> str:
    return f"{GENERATION_PREFIX}:{scope}"


def new_generation() -> str:
    return str(time.time_ns())


def bump(*scopes: str) -> None:
    """Forget every stored page that depends on ``scopes``, once the current transaction commits."""

    def write():
        token = new_generation()
        cache.set_many({generation_key(scope): token for scope in scopes}, timeout=None)

    transaction.on_commit(write)


def current_generations(scopes) -> dict[str, str]:
    """The generation of each scope; a scope without one (new, or evicted) gets one now."""
    keys = {scope: generation_key(scope) for scope in scopes}
    found = cache.get_many(list(keys.values()))
    generations = {}
    missing = {}
    for scope, key in keys.items():
        if key in found:
            generations[scope] = found[key]
        else:
            generations[scope] = missing[key] = new_generation()
    if missing:
        # add, not set: a concurrent bump must win over this first-time value.
        for key, token in missing.items():
            if not cache.add(key, token, timeout=None):
                generations[next(scope for scope, k in keys.items() if k == key)] = cache.get(key)
    return generations


def may_be_served_from_cache(request) -> bool:
    """An anonymous request that nothing personal can reach (see the module's docstring)."""
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if request.headers.get("HX-Request") or not CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", "")):
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, VISITOR_COOKIE}
    if any(name not in allowed for name in request.COOKIES):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def entry_key(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    return f"{ENTRY_PREFIX}:{request.get_host()}:{language}:{request.get_full_path()}"


def is_pending(request) -> bool:
    """True while a request that may be stored runs its view (no query: an attribute)."""
    return getattr(request, "_page_cache", None) is not None


def confirm(request, *, kind: str, object_id: int | None = None, **extra) -> None:
    """Called by a view (or a Wagtail hook) that has checked its page may be stored."""
    pending = getattr(request, "_page_cache", None)
    if pending is not None:
        pending.confirmed, pending.kind, pending.object_id, pending.extra = True, kind, object_id, extra


def storable_content(response) -> str:
    return CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode(response.charset))


def response_may_be_stored(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if any(name not in (settings.CSRF_COOKIE_NAME, VISITOR_COOKIE) for name in response.cookies):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # A session this request started (its cookie is set later, on the way out) may hold what the
    # page showed; is_empty() reads no row.
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    reader = getattr(request, "reader", None)
    # A visitor id the browser already had and the page read: the content may be that visitor's.
    return not (reader is not None and request.COOKIES.get(VISITOR_COOKIE) and reader.visitor_id_was_used)


class PageCacheMiddleware:
    """Serves and stores the pages of registered kinds (place it after ReaderMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_be_served_from_cache(request):
            return self.get_response(request)
        key = entry_key(request)
        entry = cache.get(key)
        if entry is not None:
            hit = self.serve(request, entry)
            if hit is not None:
                return hit
        response = self.get_response(request)
        pending = getattr(request, "_page_cache", None)
        if pending is None:
            return response
        stored = False
        if request.method == "GET" and pending.confirmed and response_may_be_stored(request, response):
            cache.set(
                key,
                {
                    "kind": pending.kind or pending.claim.kind,
                    "object_id": pending.object_id if pending.confirmed else pending.claim.object_id,
                    "generations": pending.generations,
                    "status": response.status_code,
                    "headers": [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS],
                    "content": storable_content(response),
                    "extra": pending.extra,
                },
                timeout=seconds(),
            )
            stored = True
        response[STATUS_HEADER] = "stored" if stored else "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not may_be_served_from_cache(request):
            return None
        for claim_view in _claims.values():
            claim = claim_view(view_func, view_kwargs)
            if claim is not None:
                # Read before the view reads the database: a write committed meanwhile bumps a
                # newer generation, and this page is then stale at once instead of kept.
                request._page_cache = Pending(
                    claim=claim, generations=current_generations(claim.scopes), confirmed=claim.confirmed
                )
                if claim.confirmed:
                    request._page_cache.kind, request._page_cache.object_id = claim.kind, claim.object_id
                break
        return None

    def serve(self, request, entry) -> HttpResponse | None:
        if current_generations(entry["generations"]) != entry["generations"]:
            return None
        if not all(check(request, entry) for check in _hit_checks.get(entry["kind"], ())):
            return None
        for action in _hit_actions.get(entry["kind"], ()):
            action(request, entry)
        content = entry["content"]
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(content, status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response[STATUS_HEADER] = "hit"
        return response
