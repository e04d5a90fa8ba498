"""The council's charter and confidentiality agreement: versioned content edited in Wagtail.

Each is a snippet with drafts, revisions and publishing, translated per locale. ``version`` is the
number members agree to: translations of one text share it, and publishing a higher version sends
every member to the re-acceptance page before anything else in the council opens
(customer_council.access). A typo fix published under the same version asks nobody again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin


class AgreementKind(models.TextChoices):
    CHARTER = "charter", _("Council charter")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality agreement")


class Agreement(TranslatableMixin, DraftStateMixin, RevisionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raise it when the text changes in substance: members accept it again before the council opens."),
    )

    class Meta(TranslatableMixin.Meta):
        constraints = [
            models.UniqueConstraint(fields=["kind", "locale"], name="council_one_agreement_of_a_kind_per_language"),
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.title} (v{self.version})"


class AgreementAcceptance(models.Model):
    """A member agreed to one version of one agreement, in one language, at one time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_acceptances")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    version = models.PositiveIntegerField(_("version"))
    #: The exact text shown (a Wagtail revision of the agreement in the reader's language).
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    language = models.CharField(_("language"), max_length=10)
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "version"], name="council_accept_a_version_once")
        ]
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")

    def __str__(self):
        return f"{self.user_id} accepted {self.kind} v{self.version}"
