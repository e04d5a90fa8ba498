"""Where a "next" parameter may send the browser: a path on this site, never anywhere else."""

import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(request, url: str) -> bool:
    """A path on this site ("/en/…"), never another host: "//host", "/\\host", "javascript:", "http://…"."""
    url = str(url or "")
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        # Browsers drop tabs and newlines inside URLs, so "/\t/evil.example" would become "//evil.example".
        and not any(character.isspace() or unicodedata.category(character)[0] == "C" for character in url)
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    )


def local_path_or(request, url: str, fallback: str) -> str:
    return url if is_local_path(request, url) else fallback
