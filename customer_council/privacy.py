"""Every council response is confidential: never kept by a shared cache, never indexed by a crawler.

Two ways to say so, the same headers either way (``Cache-Control: private, no-store`` and
``X-Robots-Tag: noindex, nofollow``):

* :func:`confidential`, a view decorator for the council's Django views (every area's views use
  it: ``@confidential`` above ``@member_required``, so the login redirect and the outsider's
  page are marked too);
* :class:`ConfidentialResponseMiddleware` (settings.MIDDLEWARE), for what no council view
  serves: the council pages Wagtail serves under ``/<lang>/council/…``, and the documents of the
  "Council documents" collection served by Wagtail's document view.
"""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render, resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control
from wagtail.documents import get_document_model
from wagtail.models import Collection

#: The name of the private collection that holds the council's documents (customer_council.documents).
DOCUMENTS_COLLECTION = "Council documents"

_LANGUAGES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
#: /<lang>/council/ and everything beneath it: the council's views and its Wagtail pages.
_COUNCIL_PATH = re.compile(rf"^/(?:{_LANGUAGES})/council(?:/|$)")
_LANGUAGE_PREFIX = re.compile(rf"^/(?:{_LANGUAGES})/")


def mark_confidential(response):
    """Add the council's headers to ``response`` (and return it)."""
    add_never_cache_headers(response)
    # Django drops a "public" an earlier layer set: "private" wins.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def confidential(view):
    """Mark every response of ``view`` confidential (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return mark_confidential(view(request, *args, **kwargs))

    return wrapped


def is_council_document(document_id) -> bool:
    """Whether the document is in the council's collection or a collection beneath it (one query)."""
    root = Collection.objects.filter(name=DOCUMENTS_COLLECTION, depth=2).first()
    if root is None:
        return False
    return get_document_model().objects.filter(pk=document_id, collection__path__startswith=root.path).exists()


def _asks_to_log_in(response) -> bool:
    """Whether the response sends the browser to the login page."""
    if response.status_code not in (301, 302, 303, 307) or not response.get("Location"):
        return False
    return _without_language(urlsplit(response["Location"]).path) == _without_language(resolve_url(settings.LOGIN_URL))


def _without_language(path: str) -> str:
    """The path without its language prefix (Wagtail's login URL has none, allauth's has one)."""
    return _LANGUAGE_PREFIX.sub("/", path, count=1)


def outsider_response(request):
    """What a logged-in outsider gets for any council page or document: the home's 403 page.

    Wagtail answers a "groups" restriction with the login page, which sends a logged-in visitor
    straight back (a redirect loop) and says nothing useful; this says what the area is, and
    nothing of what the page or document holds.
    """
    return render(request, "customer_council/area/outsider.html", status=403)


class ConfidentialResponseMiddleware:
    """Mark confidential every response under ``/<lang>/council/`` and every council document.

    A logged-in visitor whom Wagtail's council privacy sends to log in again gets the outsider's
    page instead (:func:`outsider_response`). Costs nothing for other pages, and one query per
    document download.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        council = bool(_COUNCIL_PATH.match(request.path_info)) or (
            match is not None and match.url_name == "wagtaildocs_serve" and is_council_document(match.args[0])
        )
        if not council:
            return response
        if request.user.is_authenticated and _asks_to_log_in(response):
            response = outsider_response(request)
        return mark_confidential(response)
