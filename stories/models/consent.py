"""The customer's consent to a story: what they approved, for which revision, and every change.

A case study may show a customer's name, logo, quotes or figures only with that customer's
consent, for what they agreed to, until they withdraw it. Three models hold that:

* :class:`ApprovalLink` — a signed, single-use, expiring link emailed to the customer's contact
  (no Wagtail account): to approve a given revision of a story (or ask for changes), or to
  withdraw consent later. Only the token's SHA-256 is stored.
* :class:`Consent` — the story's current consent (one row per story): the scope (name, logo,
  figures, photos, and each pull quote by its StreamField block id), the revision approved, who
  approved it and when, an optional expiry, and the withdrawal if any. What a published story
  shows is read from it (stories.models.pages.StoryPage.customer_label / shown_quotes).
* :class:`ConsentEvent` — the append-only ledger: every grant, scope change, request for
  changes, expiry and withdrawal. Rows are never updated or deleted (``save`` and ``delete``
  refuse), and the ledger exports as CSV.

Written only through stories.services.consent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApprovalLink(models.Model):
    class Purpose(models.TextChoices):
        APPROVE = "approve", _("Approve a story")
        WITHDRAW = "withdraw", _("Withdraw consent")

    story = models.ForeignKey("stories.StoryPage", on_delete=models.CASCADE, related_name="approval_links")
    #: The exact revision the customer is shown (approve links); a newer revision makes it stale.
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The workflow task this link answers (approve links sent by the customer-approval task).
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.APPROVE)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    #: A newer link for the same story and purpose, or staff, withdrew this one.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("approval link")
        verbose_name_plural = _("approval links")

    def __str__(self):
        return f"{self.purpose} link {self.pk} for story {self.story_id}"


class Consent(models.Model):
    story = models.OneToOneField("stories.StoryPage", on_delete=models.CASCADE, related_name="consent")
    show_name = models.BooleanField(_("name"), default=False)
    show_logo = models.BooleanField(_("logo"), default=False)
    show_figures = models.BooleanField(_("figures"), default=False)
    show_photos = models.BooleanField(_("photos"), default=False)
    #: The StreamField block ids of the pull quotes the customer allowed (per person).
    quote_ids = models.JSONField(_("quotes"), default=list, blank=True)
    approved_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by_name = models.CharField(_("approved by"), max_length=120, blank=True)
    approved_by_email = models.EmailField(_("approver's email"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_on = models.DateField(_("consent expires on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"consent for story {self.story_id}"

    @property
    def is_active(self) -> bool:
        if self.approved_at is None or self.withdrawn_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()


class ConsentEvent(models.Model):
    """One line of the append-only consent ledger."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("Consent granted")
        SCOPE_CHANGED = "scope_changed", _("Scope changed")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        EXPIRED = "expired", _("Consent expired")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    story = models.ForeignKey("stories.StoryPage", on_delete=models.PROTECT, related_name="consent_events")
    customer = models.ForeignKey("stories.Customer", on_delete=models.PROTECT, related_name="consent_events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    #: The scope after the event: {"name": bool, "logo": bool, "figures": bool, "photos": bool,
    #: "quotes": [block ids], "expires_on": "YYYY-MM-DD" | null}.
    scope = models.JSONField(default=dict, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(_("by"), max_length=120, blank=True)
    by_email = models.EmailField(_("by (email)"), blank=True)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["story", "-at"], name="stories_consent_by_story")]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent ledger")

    def __str__(self):
        return f"{self.kind} for story {self.story_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The consent ledger is append-only: an event is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The consent ledger is append-only: an event is never deleted.")
