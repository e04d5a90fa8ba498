"""sitemap.xml for every language's help center, not only the default site root.

Wagtail's own sitemap walks the site root page; with one home per language that would list only
English. This one walks all translations of the root and lists what an anonymous visitor may
see (kb.visibility): crawlers have no session.

Apps above kb add sections of their own (public pages that are not Wagtail pages) with
:func:`register_sitemap` in their AppConfig.ready; each must list public URLs only.
"""

from django.contrib.sitemaps import views as sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page

from kb.visibility import visible_pages


class AllLanguagesSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = Page.objects.filter(translation_key=site.root_page.translation_key)
        pages = Page.objects.none()
        for root in roots:
            pages |= Page.objects.descendant_of(root, inclusive=True)
        return visible_pages(pages).order_by("path").defer_streamfields().specific()


#: Section name -> a django.contrib.sitemaps.Sitemap class (instantiated per request).
_sections: dict[str, type] = {}


def register_sitemap(name: str, sitemap_class: type) -> None:
    _sections[name] = sitemap_class


def sitemap_view(request):
    sitemaps = {"pages": AllLanguagesSitemap(request)} | {name: cls() for name, cls in _sections.items()}
    return sitemap_views.sitemap(request, sitemaps=sitemaps)
