"""Roadmap previews: what the product team plans, shown to members before anyone else.

A :class:`RoadmapItem` is confidential until its ``embargo_until``; members see it (marked
confidential) in the council before then. After the embargo a manager may publish it to the
public "What's new" page, with wording of its own (``public_title`` / ``public_summary``): the
preview's text may hold details never meant for the public, so nothing of it is shown there
unless a manager wrote it into the public fields. Written only through
customer_council.services.roadmap.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoadmapItem(models.Model):
    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")

    title = models.CharField(_("title"), max_length=150)
    #: What members read (Markdown, rendered through forum.markdown's sanitising pipeline).
    summary = models.TextField(_("summary"), max_length=20000, blank=True)
    summary_html = models.TextField(blank=True)
    product_area = models.ForeignKey(
        "customer_council.ProductArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_items",
        verbose_name=_("product area"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNED)
    #: Until then only the council sees it; after it, a manager may publish it.
    embargo_until = models.DateTimeField(_("confidential until"))
    #: The ideas this item answers: when it ships, their voters are told.
    ideas = models.ManyToManyField(
        "customer_council.Idea", blank=True, related_name="roadmap_items", verbose_name=_("ideas it answers")
    )
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)

    # The public "What's new" entry, written by a manager when publishing (never copied silently).
    public_title = models.CharField(_("public title"), max_length=150, blank=True)
    public_summary = models.TextField(_("public summary"), max_length=20000, blank=True)
    public_summary_html = models.TextField(blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["embargo_until", "pk"]
        constraints = [
            # Never public before the embargo lifts, whatever writes the row.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_at__gte=F("embargo_until")),
                name="council_roadmap_published_after_embargo",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(public_title=""),
                name="council_roadmap_published_has_public_title",
            ),
        ]
        indexes = [models.Index(fields=["-published_at", "-id"], name="council_roadmap_published")]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")

    def __str__(self):
        return self.title

    @property
    def under_embargo(self) -> bool:
        return self.embargo_until > timezone.now()

    @property
    def is_public(self) -> bool:
        return self.published_at is not None
