"""The one resolver from a URL on this site back to the help article it shows.

Used where only a URL is known: the links in a forum answer or post (an answer that links an
article counts for it), and anything else that reads links out of text. Search hits never come
through here: a hit already names its model and id.

A link counts when it points at this site (a relative URL, or an absolute one whose host is
BASE_URL's or a Wagtail Site's) and its path is the language prefix followed by the URL path of a
live ArticlePage below that language's site root (Wagtail's i18n URLs; the roots come from
Wagtail's cached site root paths).
"""

from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from wagtail.models import Site

from kb.models import ArticlePage

MAX_LINKS = 20


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _own_hosts() -> set[str]:
    hosts = {urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or ""}
    hosts.update(Site.objects.values_list("hostname", flat=True))
    return {host.lower() for host in hosts if host}


def local_paths(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html or "")
    hosts = None
    paths = []
    for href in parser.hrefs[: MAX_LINKS * 2]:
        url = urlsplit(href)
        if url.scheme not in ("", "http", "https"):
            continue
        if url.netloc:
            hosts = _own_hosts() if hosts is None else hosts
            if (url.hostname or "").lower() not in hosts:
                continue
        if url.path.startswith("/") and url.path not in paths:
            paths.append(unquote(url.path))
    return paths[:MAX_LINKS]


def articles_by_path(paths) -> dict:
    """{path: live ArticlePage} for the site paths ("/en/category/article/") that are articles (one query)."""
    roots = {}
    for _site_id, root_path, _root_url, language_code in Site.get_site_root_paths():
        roots.setdefault(language_code, root_path)
    url_paths = {}
    for path in paths:
        language, _slash, rest = str(path).lstrip("/").partition("/")
        if language in roots and rest:
            url_paths[path] = roots[language] + rest.rstrip("/") + "/"
    if not url_paths:
        return {}
    articles = {
        article.url_path: article
        for article in ArticlePage.objects.live().filter(url_path__in=set(url_paths.values())).select_related("locale")
    }
    return {path: articles[url_path] for path, url_path in url_paths.items() if url_path in articles}


def linked_articles(html: str) -> list[ArticlePage]:
    """The live articles the HTML links to, in link order, each once."""
    found = articles_by_path(local_paths(html))
    articles = []
    for article in found.values():
        if article not in articles:
            articles.append(article)
    return articles
