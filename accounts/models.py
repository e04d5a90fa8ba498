"""People: one user model for customers, community and council members, and staff.

Marketing consent is an explicit, timestamped opt-in kept apart from transactional mail
(verification, password reset, ticket replies), which every account receives.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Accounts log in by email; the username is kept (Wagtail shows it) and derived from the email."""

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username or email, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username or email, email, password, **extra_fields)


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

    objects = EmailUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown to other people: never the email address."""
        return self.display_name or self.get_full_name() or _("Member #%(id)s") % {"id": self.pk}

    def set_marketing_consent(self, opted_in: bool) -> None:
        """Record a change of consent; the time is when the person last opted in."""
        if opted_in and not self.marketing_opt_in:
            self.marketing_opt_in_at = timezone.now()
        elif not opted_in:
            self.marketing_opt_in_at = None
        self.marketing_opt_in = opted_in


def public_name(user: User) -> str:
    """What allauth calls the person in its messages and mail (ACCOUNT_USER_DISPLAY)."""
    return user.public_name
