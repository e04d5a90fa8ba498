"""Community forum (questions, answers, live updates). Depends on kb and support."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from forum.search import visible_topic_ids_for_request
        from kb.search.visibility import register

        # Every forum hit in search and suggestions is re-checked with the forum's own rules.
        register("forum.topic", visible_topic_ids_for_request)
