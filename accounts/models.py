"""People: one user model for customers, community and council members, and staff.

Marketing consent is an explicit, timestamped opt-in kept apart from transactional mail
(verification, password reset, ticket replies), which every account receives.

Display names are unique the way Discourse keeps usernames unique: beside the name as typed
(``display_name``, shown) the account stores a folded key (``display_name_key``, never shown,
like Discourse's ``username_lower``) with a unique constraint. The key is case- and
confusable-insensitive (accounts.lookalikes.name_key), so "Mo Moderator", "MO MODERATOR" and
"Mo Mоderator" with a Cyrillic "о" are one name, held by one account; forms answer "This name is
taken", and @mentions resolve through the key, so they always reach the account that owns the
name. Accounts without a display name share the empty key, which the constraint leaves out.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.lookalikes import name_key, numbered_names


class EmailUserManager(UserManager):
    """Accounts log in by email; the username is kept (Wagtail shows it) and derived from the email."""

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username or email, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username or email, email, password, **extra_fields)

    def holding_display_name(self, name: str):
        """The account (at most one) whose display name looks like ``name``; none for an empty name."""
        key = name_key(name)
        return self.filter(display_name_key=key) if key else self.none()

    def free_display_name(self, name: str) -> str:
        """``name`` if nobody holds it, else the first free of "name 2", "name 3", ...

        For accounts made by code (the demo, the importer's placeholder authors), which must not
        fail because a member already chose the name.
        """
        max_length = self.model._meta.get_field("display_name").max_length
        return next(
            candidate
            for candidate in numbered_names(name, max_length)
            if not self.holding_display_name(candidate).exists()
        )


class Plan(models.TextChoices):
    FREE = "free", _("Free")
    TEAM = "team", _("Team")
    BUSINESS = "business", _("Business")
    ENTERPRISE = "enterprise", _("Enterprise")


class User(AbstractUser):
    class ReferralSource(models.TextChoices):
        SEARCH_ENGINE = "search", _("Search engine")
        FRIEND = "friend", _("A friend or colleague")
        SOCIAL = "social", _("Social media")
        BLOG = "blog", _("A blog or article")
        EVENT = "event", _("An event or webinar")
        SALES = "sales", _("Our sales team")
        OTHER = "other", _("Other")

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=60, blank=True, help_text=_("Shown next to your posts instead of your email.")
    )
    #: name_key(display_name), kept by save(): unique, so no two accounts hold look-alike names.
    display_name_key = models.TextField(blank=True, default="", editable=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    referral_source = models.CharField(
        _("how did you hear about us?"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    referral_detail = models.CharField(_("referral details"), max_length=200, blank=True)
    marketing_opt_in = models.BooleanField(
        _("newsletters and digests"),
        default=False,
        help_text=_("Occasional product news and community digests. Account emails are sent regardless."),
    )
    marketing_opt_in_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    #: Consent to be asked for feedback by email (NPS surveys); a CSAT question inside the
    #: ticket-resolved email is part of that transactional email and needs no opt-in.
    feedback_opt_in = models.BooleanField(
        _("feedback surveys"),
        default=False,
        help_text=_("Now and then a two-question survey about how we are doing."),
    )
    feedback_opt_in_at = models.DateTimeField(_("feedback consent given at"), null=True, blank=True)
    #: The customer's plan, kept by staff (or an import from billing): a segment of the NPS report.
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, blank=True, default="")
    #: An IANA zone name ("Europe/Berlin"); empty shows times in the browser's zone.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Meeting times are shown in it. Leave empty to use your browser's time zone."),
    )

    objects = EmailUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["display_name_key"],
                condition=~models.Q(display_name_key=""),
                name="accounts_user_unique_display_name_key",
            )
        ]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        # The key is derived data, like a generated column: recomputed on every save and written
        # whenever the name is. QuerySet.update() and bulk writes bypass this: set both there.
        self.display_name_key = name_key(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_key"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """The name shown to other people: never the email address."""
        return self.display_name or self.get_full_name() or _("Member #%(id)s") % {"id": self.pk}

    def set_marketing_consent(self, opted_in: bool) -> None:
        """Change the flag; the time is when the person last opted in.

        Only the fields change: accounts.consent.set_consent is the one place that also writes
        the ledger, and callers that save the user go through it.
        """
        if opted_in and not self.marketing_opt_in:
            self.marketing_opt_in_at = timezone.now()
        elif not opted_in:
            self.marketing_opt_in_at = None
        self.marketing_opt_in = opted_in


class ConsentRecord(models.Model):
    """One grant or withdrawal of consent: append-only, the ledger behind the flags on User.

    The flags (``marketing_opt_in``, ``feedback_opt_in``) say what holds now and are what mailing
    code filters on; these rows say when and how each change happened, for the person and for an
    auditor. Rows are never edited or deleted by the site (``save`` refuses an update); deleting
    an account deletes its rows with it.
    """

    class Topic(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletters and digests")
        FEEDBACK = "feedback", _("Feedback surveys")

    class Source(models.TextChoices):
        SIGN_UP = "sign_up", _("Sign-up form")
        PROFILE = "profile", _("Profile page")
        PREFERENCES = "preferences", _("Email preferences page")
        UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link in an email")
        ONE_CLICK = "one_click", _("One-click unsubscribe (mail client)")
        STAFF = "staff", _("Changed by staff")
        DEMO = "demo", _("Demo data")
        #: Consent an account already had when the ledger began (accounts migration 0005).
        BACKFILL = "backfill", _("Given before the ledger began")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records", verbose_name=_("person")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["at", "pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["user", "topic", "at"], name="accounts_consent_user_topic")]

    def __str__(self):
        return f"{self.user_id} {self.topic} {'granted' if self.granted else 'withdrawn'} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)


def public_name(user: User) -> str:
    """What allauth calls the person in its messages and mail (ACCOUNT_USER_DISPLAY)."""
    return user.public_name
