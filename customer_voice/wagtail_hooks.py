"""Customer voice in the Wagtail admin. Defined by area in customer_voice.hooks; imported here so
Wagtail registers them."""

from customer_voice.hooks import digests, followups, referrals, reports, surveys, timeline  # noqa: F401
