"""Which live help articles a post links to, resolved from the post's URLs to pages.

A link counts when it points at this site (a relative URL, or an absolute one whose host is
BASE_URL's or a Wagtail Site's) and its path, after the language prefix, is the URL path of a
live ArticlePage under that language's help center.
"""

from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from wagtail.models import Site

from kb.importing import HOME_KEY
from kb.models import ArticlePage, HelpCenterPage

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
    """{path: live ArticlePage} for the site paths ("/en/category/article/") that are articles."""
    wanted = {}
    languages = dict(settings.LANGUAGES)
    for path in paths:
        parts = path.strip("/").split("/", 1)
        if len(parts) == 2 and parts[0] in languages and parts[1]:
            wanted[path] = (parts[0], parts[1].rstrip("/") + "/")
    if not wanted:
        return {}
    homes = {
        home.locale.language_code: home.url_path
        for home in HelpCenterPage.objects.filter(
            translation_key=HOME_KEY, locale__language_code__in={lang for lang, _rest in wanted.values()}
        ).select_related("locale")
    }
    url_paths = {path: homes[lang] + rest for path, (lang, rest) in wanted.items() if lang in homes}
    articles = {
        article.url_path: article
        for article in ArticlePage.objects.live().filter(url_path__in=url_paths.values()).select_related("locale")
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
