"""Per-language feeds of new and updated articles (RSS 2.0 and Atom).

The language comes from the URL prefix (/ru/feeds/articles.rss), so each feed lists its own
locale's live, public articles. A language with no public article yet serves those of the first
language of its fallback order that has some (kb.languages) and says so in its description, and
the feed's language is theirs. Not a 404 or a redirect: a subscriber keeps one address, which
lists their own language's articles from the day the first is published, and an empty feed is
what a reader cannot tell from a broken one.
"""

from dataclasses import dataclass

from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kb.languages import Fallback, fallback_for
from kb.models import ArticlePage, HelpCenterPage
from kb.visibility import visible_pages
from sitewide.feeds import SiteAddressFeed

FEED_SIZE = 30


@dataclass(frozen=True)
class FeedLanguage:
    #: The language of the feed's address.
    language: str
    #: Set when that language has no public article and another's are listed.
    fallback: Fallback | None

    @property
    def items_language(self) -> str:
        return self.fallback.shown if self.fallback else self.language


class LatestArticlesRssFeed(SiteAddressFeed):
    def get_object(self, request, *args, **kwargs):
        language = get_language()
        # Feed readers fetch without a session: public articles only decide, as they are listed.
        return FeedLanguage(language, fallback_for(ArticlePage.objects.all(), language, None))

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.items_language
        return feed

    def title(self, obj):
        return _("New and updated help articles")

    def link(self, obj):
        home = visible_pages(HelpCenterPage.objects.all()).filter(locale__language_code=obj.language).first()
        return home.get_url() if home else "/"

    def description(self, obj):
        if obj.fallback:
            return _("There are no help articles in %(language)s yet. Showing articles in %(shown)s.") % {
                "language": obj.fallback.language_name,
                "shown": obj.fallback.shown_name,
            }
        return _("The latest new and updated articles from the help center.")

    def items(self, obj):
        return (
            visible_pages(ArticlePage.objects.filter(locale__language_code=obj.items_language))
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
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class LatestArticlesAtomFeed(LatestArticlesRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
