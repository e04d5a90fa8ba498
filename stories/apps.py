from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Customer stories")

    def ready(self):
        from kb.home_panels import register_home_panel
        from kb.search.result_types import register_result_type
        from stories.home import latest_featured_story_panel
        from stories.measuring import connect as connect_measuring
        from stories.search_indexes import RESULT_TYPE, register_hit_check
        from stories.signals import connect_receivers

        # Every migrate makes the story indexes. Stories plug into kb's extension points, so kb
        # never imports this app: the unified search (a hit check and the label "Story") and the
        # help-center home (the latest featured story in the home's language).
        connect_receivers(self)
        connect_measuring()
        register_hit_check()
        register_result_type(RESULT_TYPE, pgettext_lazy("search result type", "Story"))
        register_home_panel("stories/home_panel.html", latest_featured_story_panel, order=10)
