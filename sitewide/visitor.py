"""An anonymous, first-party visitor id for analytics: a random UUID4 in a cookie.

It identifies a browser, not a person: it is random (never derived from an IP address, a user
id or a user agent), lives in one first-party cookie for a year, and is never sent to anyone
else. A service that records analytics calls ``reader.get_or_create_visitor_id()``
(sitewide.reader); when the id is new, sitewide.middleware.ReaderMiddleware sets the cookie on
that response. Other pages never set it.
"""

import re
import uuid

from django.conf import settings

VISITOR_COOKIE = "support_vid"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
VALID_VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")


def new_visitor_id() -> str:
    return uuid.uuid4().hex


def visitor_id_from_cookies(cookies) -> str:
    """The visitor id of the cookie, or "" when there is none or one this site did not write."""
    visitor_id = str(cookies.get(VISITOR_COOKIE, ""))
    return visitor_id if VALID_VISITOR_ID.match(visitor_id) else ""


def set_visitor_cookie(response, visitor_id: str) -> None:
    response.set_cookie(
        VISITOR_COOKIE,
        visitor_id,
        max_age=VISITOR_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        # Secure wherever the session cookie is (production settings turn both on).
        secure=settings.SESSION_COOKIE_SECURE,
    )
