"""Middleware of the floor: who is asking (request.reader), and the visitor cookie it may need."""

from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import SimpleLazyObject, empty

from sitewide.reader import Reader
from sitewide.visitor import set_visitor_cookie


class ReaderMiddleware(MiddlewareMixin):
    """Builds ``request.reader`` once per request, and sets the visitor cookie when a service
    created a visitor id for it (only services that record analytics ask for one, so other pages
    never set the cookie).

    It must come after the session, locale and authentication middleware: the reader is built
    on first use, from the user, session and language those have set. (MiddlewareMixin makes it
    work under both WSGI and ASGI without a thread hop.)
    """

    def process_request(self, request):
        request.reader = SimpleLazyObject(lambda: Reader.from_request(request))

    def process_response(self, request, response):
        reader = getattr(request, "reader", None)
        if isinstance(reader, SimpleLazyObject):
            # A reader nobody used costs nothing: never build one here.
            reader = None if reader._wrapped is empty else reader._wrapped
        if reader is None:
            return response
        if reader.visitor_id_was_used:
            # The response depends on the cookie (or sets it): shared caches must not reuse it.
            patch_vary_headers(response, ("Cookie",))
        if reader.visitor_id_is_new:
            set_visitor_cookie(response, reader.visitor_id)
        return response
