"""Who is on the council, for which term, and everything that ever happened to that.

A membership's ``state`` is its lifecycle; whether its user may see council content *now* is
derived from it (an active state, a term that covers today, and the current agreements accepted)
and mirrored in the "Council members" group that Wagtail privacy, search audiences and forum
categories already understand (customer_council.access).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    """A group of members serving together (typically 10-20 customers, a year or two)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="council_cohort_ends_after_start"
            )
        ]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """One customer's seat on one cohort, from nomination to the end of the term.

    Nominated by email (``user`` is empty until the invitation is accepted by an account whose
    verified email matches). Commercial data (segment, plan, revenue band) is for staff weighting
    only and is never shown to another member.
    """

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        DECLINED = "declined", _("Declined")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cohort"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="council_memberships",
        verbose_name=_("account"),
    )
    #: Where the invitation goes; the accepting account's verified email must match it.
    email = models.EmailField(_("email"))
    #: The invitee's language: the invitation email and its link are in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.INVITED)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))

    # Directory: each shown to other members only if the member opted in.
    company = models.CharField(_("company"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    show_company = models.BooleanField(_("show my company to other members"), default=False)
    show_role = models.BooleanField(_("show my role to other members"), default=False)
    show_region = models.BooleanField(_("show my region to other members"), default=False)

    # Staff-only weighting of a member's votes: editable by council managers, never shown to members.
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    revenue_band = models.CharField(_("revenue band"), max_length=60, blank=True)

    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When the renewal reminder for the current term went out (reset on renewal).
    reminded_at = models.DateTimeField(null=True, blank=True)
    #: When the member last opened the council home: "new since your last visit" starts here.
    last_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "email"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="council_one_seat_per_email_per_cohort"),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="council_term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(state__in=["invited", "declined", "revoked", "expired"]),
                name="council_active_member_has_account",
            ),
        ]
        indexes = [models.Index(fields=["state", "term_end"], name="council_membership_term")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.email} ({self.cohort})"


class Invitation(models.Model):
    """A single-use invitation link for a membership.

    The link carries a random token; only its SHA-256 is stored, so a database leak does not hand
    out working links. Accepting stamps ``used_at``; a new invitation replaces the old one.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    #: A newer invitation for the same membership, or a manager, withdrew this one.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"invitation {self.pk} for {self.membership_id}"


class MembershipEvent(models.Model):
    """The audit trail of memberships: one row per change, written by the membership service."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        RENEWED = "renewed", _("Renewed")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        AGREEMENT_ACCEPTED = "agreement_accepted", _("Agreement accepted")
        REMINDED = "reminded", _("Renewal reminder sent")
        UPDATED = "updated", _("Details changed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    #: Small facts of the change (new term end, agreement version, reason): never free text from members.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["membership", "-at"], name="council_event_by_membership")]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self):
        return f"{self.kind} {self.membership_id} at {self.at:%Y-%m-%d %H:%M}"
