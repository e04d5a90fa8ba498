"""The consented digest: one issue per period, one delivery row per recipient.

``send_digest`` is idempotent per period and resumable: the issue and its deliveries are rows
made before anything is sent; each delivery is claimed (``SENDING``) in its own transaction
before the email goes out and marked ``SENT`` after. A second run for the same period finds every
delivery sent and sends nothing; a run after a crash sends the ``PENDING`` ones and leaves a
delivery caught in ``SENDING`` alone (it may have gone out: at most once, never twice) unless
asked to retry them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestIssue(models.Model):
    #: "2026-W49" (ISO week) or "2026-12" (month).
    period = models.CharField(_("period"), max_length=16, unique=True)
    starts_at = models.DateTimeField(_("covers from"))
    ends_at = models.DateTimeField(_("covers until"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.period


class DigestDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        #: The person withdrew consent (or was deactivated) after the issue was prepared.
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(DigestIssue, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    #: The Message-ID the email carries: the same on a retry, so a mail system can drop a duplicate.
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="voice_one_digest_per_person")]

    def __str__(self):
        return f"{self.issue} to {self.user_id}: {self.state}"
