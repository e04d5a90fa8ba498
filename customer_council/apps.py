from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerCouncilConfig(AppConfig):
    name = "customer_council"
    verbose_name = _("Customer Council")
