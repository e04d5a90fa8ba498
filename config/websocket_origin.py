"""The websocket origin check: a socket opens only for a page of the site it is opened on.

A browser sends the reader's cookies with a websocket handshake whatever page opens it, so the
Origin header is the only thing that tells the site's own pages from anyone else's. channels'
AllowedHostsOriginValidator compares host names only: a page on http://127.0.0.1:9999 (another
local server, anything listening on another port) could open a socket to the site on :8000 and
listen as the reader. Here the check is same-origin, as Django's CSRF check is for forms:

* the Origin's scheme, host and port must be those the socket was requested on (the Host header,
  port 80 or 443 when it names none; https when the socket is wss or settings.SECURE_PROXY_SSL_HEADER
  says a proxy in front terminated TLS), or one of settings.CSRF_TRUSTED_ORIGINS;
* the Host must be one of settings.ALLOWED_HOSTS (as for any HTTP request);
* a handshake without an Origin (or with "null", a sandboxed or file: page) is refused. Browsers
  always send one, so only a non-browser client leaves it out, and failing closed costs nothing.

Settings are read per connection, so overriding them (tests, a reload) takes effect at once.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(scheme: str, netloc: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the port made explicit, or None when it is not a web origin."""
    if scheme not in DEFAULT_PORTS or not netloc:
        return None
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:  # a port out of range or not a number
        return None
    if not parts.hostname or parts.path or parts.query or parts.fragment or parts.username:
        return None
    return scheme, parts.hostname, port


def _parse_origin(value: str) -> tuple[str, str, int] | None:
    parts = urlsplit(value.strip().lower())
    return _origin(parts.scheme, parts.netloc) if parts.path in ("", "/") else None


def _headers(scope) -> dict[str, str]:
    headers = {}
    for name, value in scope.get("headers", []):
        try:
            headers.setdefault(name.decode("latin1").lower(), value.decode("latin1"))
        except (AttributeError, UnicodeDecodeError):
            continue
    return headers


def _is_secure(scope, headers) -> bool:
    """As HttpRequest.is_secure: a proxy's header when configured and sent, else the socket's scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        header = meta_name.removeprefix("HTTP_").replace("_", "-").lower()
        if header in headers:
            return headers[header].split(",")[0].strip() == secure_value
    return scope.get("scheme", "ws") in ("wss", "https")


def _requested_host(headers) -> str:
    if settings.USE_X_FORWARDED_HOST and "x-forwarded-host" in headers:
        return headers["x-forwarded-host"].split(",")[0].strip()
    return headers.get("host", "")


def _host_is_allowed(host: str) -> bool:
    """As HttpRequest.get_host: the Host must be one of ALLOWED_HOSTS (localhost in DEBUG with none)."""
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed_hosts)


def _is_trusted(origin: tuple[str, str, int]) -> bool:
    """One of settings.CSRF_TRUSTED_ORIGINS; as there, "https://*.example.com" allows the domain
    and its subdomains (on that scheme and port)."""
    scheme, host, port = origin
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        parts = urlsplit(trusted.strip().lower())
        pattern = _origin(parts.scheme, parts.netloc.removeprefix("*"))
        if pattern is None or (pattern[0], pattern[2]) != (scheme, port):
            continue
        if pattern[1] == host or (pattern[1].startswith(".") and is_same_domain(host, pattern[1])):
            return True
    return False


def origin_is_allowed(scope) -> bool:
    """Whether a websocket handshake comes from a page this site may let in (see the module doc)."""
    headers = _headers(scope)
    host = _requested_host(headers)
    if not host or not _host_is_allowed(host):
        return False
    origin = _parse_origin(headers.get("origin", ""))
    if origin is None:
        return False
    requested = _origin("https" if _is_secure(scope, headers) else "http", host.lower())
    return origin == requested or _is_trusted(origin)


class SameOriginValidator:
    """ASGI middleware for websockets: passes same-origin handshakes on, denies the rest (HTTP 403)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator only guards websocket connections.")
        if origin_is_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
