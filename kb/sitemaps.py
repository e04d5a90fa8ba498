"""sitemap.xml for every language's help center, not only the default site root.

Wagtail's own sitemap walks the site root page; with one home per language that would list only
English. This one walks all translations of the root and lists what an anonymous visitor may
see (kb.visibility): crawlers have no session. Each page carries its hreflang alternates: its
public translations (the pages sharing its translation key), itself among them, and
``x-default``, the version in ``LANGUAGE_CODE``.

Apps above kb add sections of their own (public pages that are not Wagtail pages) with
:func:`register_sitemap` in their AppConfig.ready; each must list public URLs only. A section
of views that exist in every language sets Django's ``i18n = True, alternates = True,
x_default = True``.

Every address is absolute on the configured base URL (sitewide.addresses), never on the
request's host or on the host and port stored in Wagtail's Site row.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page

from kb.visibility import visible_pages
from sitewide.addresses import site_origin

X_DEFAULT = "x-default"


def language_order(code: str) -> int:
    """Alternates are listed in the order of settings.LANGUAGES."""
    codes = [language for language, _name in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def public_translation_paths(pages, request=None) -> dict[str, dict[str, str]]:
    """For each translation key of ``pages``: language -> URL path of its public, routed version.

    One query however many pages: what a visitor with no session may open, so a private or
    unpublished translation is never offered as an alternate.
    """
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    translations = (
        visible_pages(Page.objects.filter(translation_key__in=keys))
        .select_related("locale")
        .only("pk", "path", "url_path", "translation_key", "locale__language_code")
    )
    paths: dict[str, dict[str, str]] = {}
    for translation in translations:
        parts = translation.get_url_parts(request)
        if parts is None or parts[2] is None:
            continue
        paths.setdefault(translation.translation_key, {})[translation.locale.language_code] = parts[2]
    return paths


def alternates_of(paths_by_language: dict[str, str], to_url) -> list[dict]:
    """hreflang alternates (``lang_code``, ``location``) of one resource: every language version,
    in settings order, then x-default (the ``LANGUAGE_CODE`` version) when there is one."""
    alternates = [
        {"lang_code": code, "location": to_url(path)}
        for code, path in sorted(paths_by_language.items(), key=lambda entry: language_order(entry[0]))
    ]
    if settings.LANGUAGE_CODE in paths_by_language:
        alternates.append({"lang_code": X_DEFAULT, "location": to_url(paths_by_language[settings.LANGUAGE_CODE])})
    return alternates


class AllLanguagesSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = Page.objects.filter(translation_key=site.root_page.translation_key)
        pages = Page.objects.none()
        for root in roots:
            pages |= Page.objects.descendant_of(root, inclusive=True)
        return visible_pages(pages).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        def to_url(path):
            return f"{protocol}://{domain}{path}"

        pages = list(self.paginator.page(page).object_list)
        translations = public_translation_paths(pages, self.request)
        urls = []
        for item in pages:
            parts = item.get_url_parts(self.request)
            if parts is None or parts[2] is None:
                continue
            urls.append(
                {
                    "item": item,
                    "location": to_url(parts[2]),
                    "lastmod": self.lastmod(item),
                    "alternates": alternates_of(translations.get(item.translation_key, {}), to_url),
                }
            )
        last_mods = [url["lastmod"] for url in urls]
        # Empty when the whole site is private.
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


#: Section name -> a django.contrib.sitemaps.Sitemap class (instantiated per request).
_sections: dict[str, type] = {}


def register_sitemap(name: str, sitemap_class: type) -> None:
    _sections[name] = sitemap_class


def _as_datetime(value) -> datetime.datetime:
    """A section's latest lastmod (a date or a datetime) as an aware datetime."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def _x_default_in_the_default_language(urls: list[dict]) -> None:
    """Django's i18n sitemaps point x-default at the address without a language prefix, which
    LocaleMiddleware redirects by the browser's language; here x-default is the LANGUAGE_CODE
    version, as in the pages' own <link rel="alternate"> tags."""
    for url in urls:
        by_language = {alternate["lang_code"]: alternate for alternate in url.get("alternates", ())}
        if X_DEFAULT in by_language and settings.LANGUAGE_CODE in by_language:
            by_language[X_DEFAULT]["location"] = by_language[settings.LANGUAGE_CODE]["location"]


@x_robots_tag
def sitemap_view(request):
    """Django's sitemap view, on the configured base URL rather than the request's host."""
    scheme, netloc = site_origin()
    site = SimpleNamespace(domain=netloc, name=netloc)
    sitemaps = {"pages": AllLanguagesSitemap(request)} | {name: cls() for name, cls in _sections.items()}
    page = request.GET.get("p", 1)
    urls, lastmod, every_section_has_lastmod = [], None, True
    for sitemap in sitemaps.values():
        try:
            urls.extend(sitemap.get_urls(page=page, site=site, protocol=scheme))
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(f"No sitemap page {page!r}") from error
        section_lastmod = getattr(sitemap, "latest_lastmod", None)
        if section_lastmod is None:
            every_section_has_lastmod = False
        elif every_section_has_lastmod:
            section_lastmod = _as_datetime(section_lastmod)
            lastmod = section_lastmod if lastmod is None else max(lastmod, section_lastmod)
    _x_default_in_the_default_language(urls)
    # As Django's view: ConditionalGetMiddleware answers 304 when nothing changed.
    headers = {"Last-Modified": http_date(lastmod.timestamp())} if every_section_has_lastmod and lastmod else None
    return TemplateResponse(request, "sitemap.xml", {"urlset": urls}, content_type="application/xml", headers=headers)
