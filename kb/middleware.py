"""Middleware of the knowledge base."""

from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

from kb.visitor import set_visitor_cookie_if_new, visitor_id_was_used


class VisitorCookieMiddleware(MiddlewareMixin):
    """Sets the anonymous visitor cookie (kb.visitor) when a view created a visitor id.

    Only views that record analytics ask for an id, so other pages never set the cookie.
    (MiddlewareMixin makes it work under both WSGI and ASGI without a thread hop.)
    """

    def process_response(self, request, response):
        if visitor_id_was_used(request):
            # The response depends on the cookie (or sets it): shared caches must not reuse it.
            patch_vary_headers(response, ("Cookie",))
            set_visitor_cookie_if_new(request, response)
        return response
