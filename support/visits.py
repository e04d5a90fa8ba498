"""Contact-flow visits: a random id that ties what one customer did on the way to support.

A visit starts when the contact form is first shown. Its id lives in a short-lived first-party
cookie (so a reload, or coming back from an opened suggestion, stays the same visit) and in a
hidden field of the form (so the submit names the visit it finishes, and a double submit of the
same visit finds the ticket it already made). After a ticket is opened, the next visit is new.
"""

import re
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import translation

VISIT_COOKIE = "support_contact_visit"
VISIT_COOKIE_MAX_AGE = 2 * 60 * 60
VALID_VISIT_ID = re.compile(r"^[0-9a-f]{32}$")
#: On an article opened from the contact form's suggestions (beside ``from_contact``), the
#: language of the form the reader came from, when it is not the article's: a Hebrew form may
#: suggest an English article, and "Back to the contact form" must lead to the Hebrew form, where
#: the draft is (the browser keeps one draft per language).
CONTACT_LANGUAGE = "contact_lang"


def new_visit_id() -> str:
    return uuid.uuid4().hex


def clean_visit_id(value) -> str:
    """The value when it is a visit id this site could have made, else ""."""
    value = str(value or "")
    return value if VALID_VISIT_ID.match(value) else ""


def current_visit_id(request) -> str:
    """The visit this browser is in (from its cookie), or ""."""
    return clean_visit_id(request.COOKIES.get(VISIT_COOKIE))


def remember_visit(response, visit_id: str) -> None:
    response.set_cookie(
        VISIT_COOKIE,
        visit_id,
        max_age=VISIT_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_visit(response) -> None:
    response.delete_cookie(VISIT_COOKIE, samesite="Lax")


def contact_form_url(language) -> str:
    """The contact form's path in ``language`` when it is one of the site's, else in the active one.

    Built by reverse() from a known language code, never taken from the request as a path, so a
    link made from a query parameter leads to this form and nowhere else.
    """
    language = str(language or "")
    if language not in dict(settings.LANGUAGES):
        return reverse("support:contact")
    with translation.override(language):
        return reverse("support:contact")
