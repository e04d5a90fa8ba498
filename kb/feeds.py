"""Per-language feeds of new and updated articles (RSS 2.0 and Atom).

The language comes from the URL prefix (/ru/feeds/articles.rss), so each feed lists only its own
locale's live, public articles.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kb.models import ArticlePage, HelpCenterPage
from kb.visibility import visible_pages

FEED_SIZE = 30


class LatestArticlesRssFeed(Feed):
    def get_object(self, request, *args, **kwargs):
        self.request = request
        return get_language()

    def title(self, language):
        return _("New and updated help articles")

    def link(self, language):
        home = visible_pages(HelpCenterPage.objects.all()).filter(locale__language_code=language).first()
        return home.get_url(self.request) if home else "/"

    def description(self, language):
        return _("The latest new and updated articles from the help center.")

    def items(self, language):
        return (
            # Feed readers fetch without a session: public articles only.
            visible_pages(ArticlePage.objects.filter(locale__language_code=language))
            .order_by("-last_published_at")
            .only("id", "title", "summary", "url_path", "path", "depth", "last_published_at", "first_published_at")[
                :FEED_SIZE
            ]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class LatestArticlesAtomFeed(LatestArticlesRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, language):
        return self.description(language)
