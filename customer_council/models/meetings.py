"""Council meetings: agenda, pre-reads with read receipts, RSVPs, minutes and action items.

Times are stored in UTC and shown in each member's time zone (accounts.User.time_zone, else the
browser's). The iCalendar invitation (customer_council.services.meetings) uses ``uid`` and
``sequence`` so a calendar updates the event it already holds instead of adding a second one.
Managers edit a meeting with its agenda, pre-reads and action items in one admin form (a
ClusterableModel with inline children); members' RSVPs and read receipts and every other write go
through customer_council.services.meetings.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable


class Meeting(ClusterableModel):
    #: The cohort it is for; empty means the whole council.
    cohort = models.ForeignKey(
        "customer_council.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    #: A room, or the video call's link.
    location = models.CharField(_("where"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    description_html = models.TextField(blank=True)
    #: Written by a manager after the meeting (Wagtail's rich text, sanitised by its editor rules).
    minutes = RichTextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    #: iCalendar UID and SEQUENCE: the same event in every invitation, bumped on each change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "id"], name="council_meeting_when")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AgendaItem(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    #: An idea discussed under this item (shown as a link to it).
    idea = models.ForeignKey(
        "customer_council.Idea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("idea"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("minutes allotted"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "sort_order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class PreRead(Orderable):
    """A document members should read before the meeting (it must be in the council's collection)."""

    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="pre_reads")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["meeting", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "document"], name="council_pre_read_once")]
        verbose_name = _("pre-read")
        verbose_name_plural = _("pre-reads")

    def __str__(self):
        return f"pre-read {self.document_id} for {self.meeting_id}"


class PreReadReceipt(models.Model):
    """A member opened a pre-read (recorded by the council's download view, once)."""

    pre_read = models.ForeignKey(PreRead, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pre_read", "user"], name="council_read_receipt_once")]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self):
        return f"{self.user_id} read {self.pre_read_id}"


class RSVP(models.Model):
    class Response(models.TextChoices):
        YES = "yes", _("Attending")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not attending")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_rsvps")
    response = models.CharField(_("response"), max_length=5, choices=Response.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="council_one_rsvp_per_member")]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")

    def __str__(self):
        return f"{self.user_id}: {self.response} for {self.meeting_id}"


class ActionItem(Orderable):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: When the owner was last reminded that it is overdue (one reminder a day at most).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "sort_order", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="council_action_due")]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.title

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < timezone.localdate()
