"""Per-language feeds of customer stories (RSS 2.0 and Atom): /<lang>/stories/feed.rss and .atom.

The language comes from the URL prefix; each feed lists that language's live, public stories,
newest publish date first. Feed readers fetch without a session, so private stories never appear.
A language without stories serves an empty feed (unlike the article feeds, there is no fallback:
stories are not translated one for one).
"""

from datetime import datetime, time

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kb.visibility import visible_pages
from sitewide.feeds import SiteAddressFeed
from stories.models import StoryIndexPage, StoryPage

FEED_SIZE = 30


class LatestStoriesRssFeed(SiteAddressFeed):
    def get_object(self, request, *args, **kwargs):
        return get_language()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj
        return feed

    def title(self, obj):
        return _("Customer stories")

    def link(self, obj):
        story_index = visible_pages(StoryIndexPage.objects.filter(locale__language_code=obj)).first()
        return story_index.get_url() if story_index else "/"

    def description(self, obj):
        return _("How customers solved their problems with our products.")

    def items(self, obj):
        return (
            visible_pages(StoryPage.objects.filter(locale__language_code=obj))
            .order_by("-publish_date", "-pk")
            .only(
                "id", "title", "headline", "summary", "url_path", "path", "depth", "publish_date", "last_published_at"
            )[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.publish_date, time.min))

    def item_updateddate(self, item):
        return item.last_published_at


class LatestStoriesAtomFeed(LatestStoriesRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
