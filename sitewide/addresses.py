"""The site's own address, for links that leave the page: sitemaps, hreflang alternates.

Absolute links come from the configured base URL (BASE_URL, as ``WAGTAILADMIN_BASE_URL``), never
from the request's host or from Wagtail's Site row: that row keeps the host and port it was given
when the demo was loaded (Wagtail's default is "localhost:80"), and a request may arrive by any
name a proxy or a browser used. Only the scheme and host:port of BASE_URL count; the path comes
from reverse(), which already carries any script prefix.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def site_origin() -> tuple[str, str]:
    """The configured scheme and host[:port], e.g. ("https", "help.example.com")."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.scheme or "https", address.netloc


def absolute_url(url: str) -> str:
    """``url`` (a path, or an absolute URL whose host is not to be trusted) on the configured address."""
    scheme, netloc = site_origin()
    parts = urlsplit(url)
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))
