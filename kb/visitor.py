"""An anonymous, first-party visitor id for search analytics: a random UUID4 in a cookie.

It identifies a browser, not a person: it is random (never derived from an IP address, a user
id or a user agent), lives in one first-party cookie for a year, and is never sent to anyone
else. A view that needs it calls :func:`get_or_create_visitor_id`; when the id is new,
kb.middleware.VisitorCookieMiddleware sets the cookie on that view's response.
"""

import re
import uuid

from django.conf import settings

VISITOR_COOKIE = "support_vid"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
VALID_VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")
#: Where the id is kept on the request, and whether the response must set the cookie.
_REQUEST_ID = "_support_visitor_id"
_REQUEST_IS_NEW = "_support_visitor_id_is_new"


def get_or_create_visitor_id(request) -> str:
    """The visitor id from the cookie, or a new random one that the response will set."""
    visitor_id = getattr(request, _REQUEST_ID, None)
    if visitor_id:
        return visitor_id
    visitor_id = request.COOKIES.get(VISITOR_COOKIE, "")
    is_new = not VALID_VISITOR_ID.match(visitor_id)
    if is_new:  # no cookie, or one the site did not write
        visitor_id = uuid.uuid4().hex
    setattr(request, _REQUEST_ID, visitor_id)
    setattr(request, _REQUEST_IS_NEW, is_new)
    return visitor_id


def get_visitor_id(request) -> str:
    """The visitor id this browser already has, or "" (never creates one)."""
    visitor_id = getattr(request, _REQUEST_ID, None) or request.COOKIES.get(VISITOR_COOKIE, "")
    return visitor_id if VALID_VISITOR_ID.match(visitor_id) else ""


def visitor_id_was_used(request) -> bool:
    return bool(getattr(request, _REQUEST_ID, None))


def set_visitor_cookie_if_new(request, response) -> None:
    """Set the cookie when this request created the id (and never otherwise)."""
    if not getattr(request, _REQUEST_IS_NEW, False):
        return
    response.set_cookie(
        VISITOR_COOKIE,
        getattr(request, _REQUEST_ID),
        max_age=VISITOR_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        # Secure wherever the session cookie is (production settings turn both on).
        secure=settings.SESSION_COOKIE_SECURE,
    )
