"""Surveys: NPS runs, one invitation per person asked, one answer per invitation.

* **NPS** (relationship): "How likely are you to recommend us to a friend or colleague?" 0-10,
  then "What is the main reason?". Sent in runs (a :class:`SurveyRun`, to everyone eligible or to
  the council), or answered in-site by a customer who is due.
* **CSAT** (transactional): good / bad and a comment, asked in the ticket-resolved email.

An answer keeps a copy of the segments it is reported by (language, referral source, plan,
council membership) as they were when it was given: the report is then one GROUP BY over this
table, whatever the size, and an answer does not move between segments when a profile changes.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_COMMENT_LENGTH = 2_000


def new_token() -> str:
    return secrets.token_urlsafe(18)


class SurveyKind(models.TextChoices):
    NPS = "nps", _("Net Promoter Score")
    CSAT = "csat", _("Satisfaction after a solved request")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Active customers")
    #: Filled by the council app through the "survey_audiences" hook.
    COUNCIL = "council", _("Customer advisory council")


class SurveyRun(models.Model):
    """One sending of the NPS survey to an audience (customer_voice.services.runs)."""

    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices, default=SurveyKind.NPS)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey run")
        verbose_name_plural = _("survey runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class SurveyInvitation(models.Model):
    """One person asked once: the row behind a signed survey link.

    The link carries the invitation's random ``token`` signed with a timestamp
    (customer_voice.links); the token alone is never enough (a forged or altered link fails the
    signature), and an answered invitation takes no second score.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SITE = "site", _("On the site")

    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices)
    run = models.ForeignKey(
        SurveyRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations", verbose_name=_("run")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("customer"),
    )
    #: Where it was sent (a ticket's requester may have no account).
    email = models.EmailField(_("email"), blank=True)
    ticket = models.ForeignKey(
        "support.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    language = models.CharField(_("language"), max_length=12)
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    #: When the email went out (None: not sent yet, or asked on the site).
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind", "created_at"], name="voice_invitation_throttle")]
        constraints = [
            # One CSAT question per ticket.
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(kind="csat"), name="voice_one_csat_per_ticket"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"


class SurveyResponse(models.Model):
    """One answer. NPS: ``score`` 0-10. CSAT: ``score`` 1 (good) or 0 (bad)."""

    class Category(models.TextChoices):
        PROMOTER = "promoter", _("Promoter")
        PASSIVE = "passive", _("Passive")
        DETRACTOR = "detractor", _("Detractor")

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response", verbose_name=_("invitation")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        verbose_name=_("customer"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    #: NPS only, derived from the score when saved (9-10 promoter, 7-8 passive, 0-6 detractor).
    category = models.CharField(_("category"), max_length=10, choices=Category.choices, blank=True)
    comment = models.TextField(_("main reason"), max_length=MAX_COMMENT_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    # Segments, as they were when the answer was given.
    language = models.CharField(_("language"), max_length=12, blank=True)
    referral_source = models.CharField(_("how they heard of us"), max_length=20, blank=True)
    plan = models.CharField(_("plan"), max_length=20, blank=True)
    is_council = models.BooleanField(_("council member"), default=False)
    #: The audience of the run it answers (copied: the report filters 1M answers without a join);
    #: a council run's answers are the council's, shown only to whom the council allows.
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    ticket = models.ForeignKey(
        "support.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ticket")
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at", "-pk"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["kind", "answered_at"], name="voice_response_kind_time"),
            models.Index(fields=["user", "answered_at"], name="voice_response_user_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}"

    def save(self, *args, **kwargs):
        if self.kind == SurveyKind.NPS:
            self.category = self.category_of(self.score)
        super().save(*args, **kwargs)

    @staticmethod
    def category_of(score: int) -> str:
        if score >= 9:
            return SurveyResponse.Category.PROMOTER
        if score >= 7:
            return SurveyResponse.Category.PASSIVE
        return SurveyResponse.Category.DETRACTOR
