"""The public "What's new" page, an entry's page and its Atom feed: published roadmap items only.

Public and cacheable like any public page (not confidential). What a page or the feed shows is
read as plain values of the public fields only (``public_title``, ``public_summary_html``,
``published_at``): the members' preview (``title``, ``summary``) is never even loaded here, so
no template or feed method can show it by mistake. An item under embargo or not published is not
listed and its entry URL is a 404, for everyone, members and managers included.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from customer_council.services.roadmap import published_items

ENTRIES_PER_PAGE = 20
FEED_SIZE = 30
#: The only fields of an item that leave the council.
PUBLIC_FIELDS = ("pk", "public_title", "public_summary_html", "published_at")


def public_entries():
    return published_items().values(*PUBLIC_FIELDS)


@require_GET
def index(request):
    page = Paginator(public_entries(), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "entries": list(page.object_list)}
    return render(request, "customer_council/whats_new/index.html", context)


@require_GET
def entry(request, pk):
    found = public_entries().filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "customer_council/whats_new/entry.html", {"entry": found})


class WhatsNewFeed(Feed):
    """Atom feed of the newest published entries, in the language of its address."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language()
        return feed

    def title(self):
        return _("What's new")

    def subtitle(self):
        return _("New features and improvements, as they are released.")

    def link(self):
        return reverse("whats_new:index")

    def items(self):
        return list(public_entries()[:FEED_SIZE])

    def item_title(self, item):
        return item["public_title"]

    def item_description(self, item):
        return item["public_summary_html"]

    def item_link(self, item):
        return reverse("whats_new:entry", args=[item["pk"]])

    def item_pubdate(self, item):
        return item["published_at"]


class WhatsNewSitemap(Sitemap):
    """What's new in the sitemap (kb.sitemaps): its page and each published entry, in every
    language with its hreflang alternates; never an item under embargo or unpublished (public_entries)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["index", *public_entries()]

    def location(self, item):
        if item == "index":
            return reverse("whats_new:index")
        return reverse("whats_new:entry", args=[item["pk"]])

    def lastmod(self, item):
        return None if item == "index" else item["published_at"]
