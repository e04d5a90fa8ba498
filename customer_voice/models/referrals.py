"""How customers heard of us: personal referral links and the sign-ups they brought.

A click sets one first-party cookie (the link's code, 30 days, first touch: a later link does not
replace it) and bumps a daily counter; nothing else about the visitor is stored. A sign-up that
arrives with the cookie becomes a :class:`Referral` of the link's owner.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ReferralLink(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_link", verbose_name=_("member")
    )
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral link")
        verbose_name_plural = _("referral links")

    def __str__(self):
        return self.code


class ReferralClicks(models.Model):
    """Clicks on a link per day: a counter row, no visitor data."""

    link = models.ForeignKey(ReferralLink, on_delete=models.CASCADE, related_name="daily_clicks")
    day = models.DateField(_("day"))
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("referral clicks")
        verbose_name_plural = _("referral clicks")
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="voice_referral_clicks_per_day")]

    def __str__(self):
        return f"{self.link_id} {self.day}: {self.clicks}"


class Referral(models.Model):
    """A sign-up attributed to the member whose link brought it."""

    link = models.ForeignKey(ReferralLink, on_delete=models.CASCADE, related_name="referrals")
    referred = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referred_by", verbose_name=_("new member")
    )
    #: When the link was first clicked (from the cookie); the sign-up time is the user's date_joined.
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.referred_id} via {self.link_id}"
