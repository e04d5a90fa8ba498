"""Community forum (questions, answers, live updates). Depends on kb and support."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from forum import page_cache
        from forum.live import connect_receivers as connect_live_updates
        from forum.search import visible_topic_ids_for_reader
        from forum.services.notifications import connect_receivers as connect_notifications
        from forum.sitemaps import ForumSitemap
        from kb.search.visibility import register
        from kb.sitemaps import register_sitemap

        # Topic pages update live, and members hear of replies, mentions and accepted answers.
        connect_live_updates()
        connect_notifications()
        # Anonymous readers' topic pages come from the shared page cache until the topic changes.
        page_cache.connect()

        # Every forum hit in search and suggestions is re-checked with the forum's own rules.
        register("forum.topic", visible_topic_ids_for_reader)
        # Public topics are in the sitemap; hidden, held and restricted ones never.
        register_sitemap("forum", ForumSitemap)
