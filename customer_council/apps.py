from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerCouncilConfig(AppConfig):
    name = "customer_council"
    verbose_name = _("Customer Council")

    def ready(self):
        from customer_council.search_indexes import connect as connect_search
        from customer_council.signals import connect_receivers
        from customer_council.views.whats_new import WhatsNewSitemap
        from kb.sitemaps import register_sitemap

        # Publishing an agreement re-checks every member's access; migrate sets the council up;
        # council content is searched by members only, and what is saved before the first search
        # is indexed too.
        connect_receivers(self)
        register_sitemap("whats_new", WhatsNewSitemap)
        connect_search()
