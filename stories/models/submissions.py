"""Stories customers propose: what they achieved, in their words. Staff turn one into a draft
story in one click (stories.services.submissions, which the NPS work will call for promoters)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StorySubmission(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        DRAFTED = "drafted", _("Draft story started")
        DECLINED = "declined", _("Declined")

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="story_submissions"
    )
    company = models.CharField(_("company"), max_length=120)
    role = models.CharField(_("your role"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    achievement = models.TextField(_("what you achieved"), max_length=5000)
    figures = models.TextField(_("figures (optional)"), max_length=2000, blank=True)
    may_contact = models.BooleanField(_("you may contact me about it"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    #: The draft story made from it.
    story = models.ForeignKey(
        "stories.StoryPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="stories_submission_queue")]
        verbose_name = _("story submission")
        verbose_name_plural = _("story submissions")

    def __str__(self):
        return f"{self.company} ({self.created_at:%Y-%m-%d})"
