"""Which Content-Security-Policy a response carries; django-csp builds and writes the header.

The public site runs no inline script at all (every script is a static file; data reaches it in
data- attributes), so its policy is strict: settings.CONTENT_SECURITY_POLICY. Wagtail's admin
(and the previews it renders of our pages) still relies on inline scripts and styles, so paths
under settings.CSP_ADMIN_PATH_PREFIXES get settings.CSP_ADMIN_DIRECTIVES instead: looser on
script and style sources, as strict as the public policy on plugins, <base>, form targets and
who may frame the page.
"""

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

#: The 500 page is rendered without context (the database may be down), so it carries its own
#: <style> block instead of a stylesheet link; the policy of a 500 allows exactly that block.
INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def error_page_style_hashes() -> list[str]:
    """CSP source expressions ('sha256-...') of the <style> blocks of templates/500.html."""
    text = (settings.BASE_DIR / "templates" / "500.html").read_text(encoding="utf-8")
    digests = (hashlib.sha256(block.encode()).digest() for block in INLINE_STYLE.findall(text))
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]


def is_admin_path(request) -> bool:
    return request.path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's own policy and the 500 page's style hash.

    It also keeps X-Frame-Options, frame-ancestors' older twin, in step: DENY everywhere
    (settings.X_FRAME_OPTIONS) but SAMEORIGIN in the admin, whose preview panel frames pages it
    renders under /admin/. It must come before XFrameOptionsMiddleware, so it sees that header.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if is_admin_path(request) and response.get("X-Frame-Options") == "DENY":
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        # A view that chose its own policy (django-csp's decorators) keeps it.
        if parts.config is None and is_admin_path(request):
            parts.config = settings.CSP_ADMIN_DIRECTIVES
        elif response.status_code == 500:
            parts.update = {**(parts.update or {}), "style-src": error_page_style_hashes()}
        return parts
