"""From the URLs the search service returns back to the pages they show."""

from urllib.parse import urlsplit

from wagtail.models import Page, Site


def page_ids_for_urls(urls: list[str]) -> dict[str, int]:
    """URL -> page id for the local page URLs given, in one query (unknown URLs are left out).

    A page's URL is its language prefix followed by its path below that language's site root
    (Wagtail's i18n URLs), so the page's url_path is that root's url_path plus the rest.
    """
    roots = {}
    for _site_id, root_path, _root_url, language_code in Site.get_site_root_paths():
        roots.setdefault(language_code, root_path)
    url_paths = {}
    for url in urls:
        path = urlsplit(url).path
        language, _slash, rest = path.lstrip("/").partition("/")
        if language in roots:
            url_paths[roots[language] + rest] = url
    if not url_paths:
        return {}
    pages = Page.objects.filter(url_path__in=list(url_paths)).values_list("url_path", "pk")
    return {url_paths[url_path]: pk for url_path, pk in pages}
