"""The forum in the sitemap (kb.sitemaps): its index, public categories and public topics.

Only what a visitor with no session may open (forum.permissions with no user): never a topic
that is hidden, deleted or held for approval, nor anything in a category restricted to groups
(the council's among them). Forum pages exist in every interface language, so each is listed in
every language with its hreflang alternates.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forum.permissions import visible_categories, visible_topics

INDEX = "index"


class ForumSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        categories = visible_categories(None).order_by("pk").only("pk", "slug")
        topics = visible_topics(None).order_by("pk").only("pk", "slug", "last_posted_at")
        return [INDEX, *categories, *topics]

    def location(self, item):
        return reverse("forum:index") if item == INDEX else item.get_absolute_url()

    def lastmod(self, item):
        return getattr(item, "last_posted_at", None)
