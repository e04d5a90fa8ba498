"""'Did this solve your problem?' votes: one row per voter, article and revision the voter read."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest optional comment on a "No" vote (the form and support.votes enforce it).
MAX_COMMENT_LENGTH = 1000


class ArticleVote(models.Model):
    """A reader's answer for one revision of an article; changing the answer updates this row.

    ``voter_key`` is "user:<id>" for a logged-in reader, else "visitor:<visitor id>" (sitewide.visitor):
    never an IP address. A new live revision of the article can collect a new vote from the same
    voter, so helpfulness can be followed across rewrites.
    """

    class Reason(models.TextChoices):
        INCORRECT = "incorrect", _("The information is incorrect")
        UNCLEAR = "unclear", _("It is unclear or hard to follow")
        DOESNT_APPLY = "doesnt_apply", _("It doesn't apply to me")
        OUTDATED = "outdated", _("It is outdated")
        OTHER = "other", _("Something else")

    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    #: The live revision the reader saw when voting.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter_key = models.CharField(_("voter"), max_length=48)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helpful = models.BooleanField(_("helpful"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["voter_key", "article", "revision"], name="support_one_vote_per_voter_revision"
            )
        ]
        indexes = [models.Index(fields=["article", "helpful"], name="support_vote_article_helpful")]

    def __str__(self):
        return f"{self.voter_key} on {self.article_id}: {'yes' if self.helpful else 'no'}"
