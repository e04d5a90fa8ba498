"""RSS and Atom feeds whose every link is on the site's configured address.

Django's Feed puts the request's host in front of every relative link (without
django.contrib.sites it asks the request), and a Wagtail page's URL may come absolute on the host
and port of its Site row. A feed is fetched and cached by readers and aggregators, so a link
built from a forged ``Host`` header would be handed on to every subscriber: the feed's links, its
own address and id and its items' links and ids are put on BASE_URL instead (sitewide.addresses), as the
sitemap's are.
"""

from django.contrib.syndication.views import Feed
from django.utils.encoding import iri_to_uri

from sitewide.addresses import absolute_url


class SiteAddressFeed(Feed):
    """A Feed whose links are absolute on the configured base URL, whatever host asked."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        link = feed.feed.get("link")
        # The feed's id is its link unless the feed gives another (feed_guid): that one stays.
        if link and feed.feed.get("id") and iri_to_uri(feed.feed["id"]) == link:
            feed.feed["id"] = absolute_url(link)
        for field in ("link", "feed_url"):
            if feed.feed.get(field):
                feed.feed[field] = absolute_url(feed.feed[field])
        for item in feed.items:
            link = item.get("link")
            if not link:
                continue
            item["link"] = absolute_url(link)
            # An item's id is its link unless the feed gives another (item_guid): that one stays.
            if item.get("unique_id") == link:
                item["unique_id"] = item["link"]
        return feed
