from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerVoiceConfig(AppConfig):
    """What customers tell us and how we keep in touch: surveys, referrals, digests, the timeline."""

    name = "customer_voice"
    verbose_name = _("Customer voice")

    def ready(self):
        from customer_voice import receivers_referrals, receivers_surveys  # noqa: F401 - connect the receivers
