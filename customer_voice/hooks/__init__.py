"""Admin and cross-app hooks of customer_voice by area; customer_voice.wagtail_hooks imports them all."""
