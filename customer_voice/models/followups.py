"""Closing the loop: a follow-up task for support on every detractor answer (and bad CSAT)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FollowUp(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Customer contacted")
        CLOSED = "closed", _("Loop closed")
        #: Closed without reaching the customer (no answer, left): not counted as a closed loop.
        DROPPED = "dropped", _("Closed without contact")

    response = models.OneToOneField(
        "customer_voice.SurveyResponse", on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("answer")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="voice_follow_ups",
        verbose_name=_("customer"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )
    note = models.TextField(_("what was done"), max_length=4_000, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("detractor follow-up")
        verbose_name_plural = _("detractor follow-ups")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_state_display()} follow-up {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.OPEN, self.State.CONTACTED)
