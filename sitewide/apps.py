from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitewideConfig(AppConfig):
    """The floor every other app stands on: who is asking, rate limits, input cleaning, exports.

    It has no models and imports none of the project's apps (tests/test_architecture.py).
    """

    name = "sitewide"
    verbose_name = _("Site-wide")
