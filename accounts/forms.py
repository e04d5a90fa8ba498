"""Account forms: allauth's forms with our extras (plugged in with ACCOUNT_FORMS), and the profile.

Every allauth form an email address enters through (sign-up, log-in, password reset, adding or
changing an address) uses :class:`EmailAddressField`, so a look-alike of an address is that
address everywhere (accounts.lookalikes).
"""

import unicodedata
from functools import cache
from zoneinfo import available_timezones

from allauth.account.fields import EmailField as AllauthEmailField
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangeEmailForm as AllauthChangeEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.consent import FIELDS as CONSENT_FIELDS
from accounts.consent import record_initial_consent, set_consent
from accounts.lookalikes import normalize_email, validate_email_scripts
from accounts.models import ConsentRecord, User
from sitewide.text import BIDI_CONTROL_CHARACTERS


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zone names this system knows, sorted (the profile's choices; read once)."""
    return tuple(sorted(available_timezones()))


#: Invisible characters that real spelling needs: ZWNJ in Persian words, ZWJ in emoji sequences.
JOINERS = frozenset("\u200c\u200d")


class DisplayNameField(forms.CharField):
    """A name other people see, cleaned so that it cannot hide or disguise anything.

    Decided policy for unicode tricks:

    * The text is NFC-normalised, so the same name typed on different keyboards is stored alike.
    * Bidirectional embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) are
      **rejected** with a form error: they exist to reorder text, which in a name is spoofing, and
      silently dropping them would change what the person thinks they typed.
    * Control characters (NUL, tabs, newlines, ...) are **rejected** too: a name is one line.
    * Other invisible format characters (zero-width space U+200B, word joiner U+2060, BOM U+FEFF,
      LRM/RLM, soft hyphen, tag characters, ...) are **stripped** silently: they are usually pasted
      by accident and only serve to make two names that look the same compare different.
      ZWNJ/ZWJ are kept inside a name (Persian spelling and emoji need them) but not at its ends.
    * A name that is nothing but invisible characters becomes empty, i.e. no display name.

    Templates still render names escaped and inside <bdi>, so an RTL name cannot reorder the page.
    """

    default_error_messages = {
        "bidi_control": _("Remove the invisible text-direction characters from your name."),
        "control": _("Your name must be a single line of text without control characters."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        value = unicodedata.normalize("NFC", value)
        value = "".join(
            char
            for char in value
            if unicodedata.category(char) != "Cf" or char in JOINERS or char in BIDI_CONTROL_CHARACTERS
        )
        return value.strip().strip("".join(JOINERS)).strip()

    def validate(self, value):
        super().validate(value)
        if any(char in BIDI_CONTROL_CHARACTERS for char in value):
            raise ValidationError(self.error_messages["bidi_control"], code="bidi_control")
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValidationError(self.error_messages["control"], code="control")


class EmailAddressField(AllauthEmailField):
    """An email address, normalised before it is validated (accounts.lookalikes.normalize_email).

    With ``chosen=True`` (the default: signing up, adding an address, the contact form) an address
    that mixes scripts is refused (validate_email_scripts); with ``chosen=False`` (log-in, password
    reset) it is only normalised, since it merely looks up an account.
    """

    def __init__(self, *args, chosen=True, **kwargs):
        self.chosen = chosen
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_email(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        # Before the validators: EmailValidator's "Enter a valid email address" would hide the
        # clearer reason.
        if value and self.chosen:
            validate_email_scripts(value)


NAME_TAKEN = _("This name is taken. Please choose another one.")


class DisplayNameIsFree:
    """Form mixin: refuse a display name that another account holds (case- and look-alike-insensitive).

    The check runs before saving; two people saving look-alike names at the same moment both
    pass it, and the database's unique constraint then refuses the second: the profile form
    answers that with the same "taken" message (:meth:`ProfileForm.save_or_refuse`).
    """

    #: The account being edited, which may keep its own name; None on sign-up.
    name_owner = None

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        holders = User.objects.holding_display_name(name)
        if self.name_owner is not None:
            holders = holders.exclude(pk=self.name_owner.pk)
        if holders.exists():
            raise ValidationError(NAME_TAKEN, code="name_taken")
        return name


class LoginForm(AllauthLoginForm):
    """allauth's log-in, by email only (ACCOUNT_LOGIN_METHODS), with the address normalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = EmailAddressField(chosen=False)


class ResetPasswordForm(AllauthResetPasswordForm):
    email = EmailAddressField(required=True, chosen=False)


class AddEmailForm(AllauthAddEmailForm):
    email = EmailAddressField(required=True)


class ChangeEmailForm(AllauthChangeEmailForm):
    email = EmailAddressField(required=True)


class SignupForm(DisplayNameIsFree, AllauthSignupForm):
    """allauth's signup (email, password twice) plus a display name, referral source and consent.

    The newsletter checkbox is unchecked unless the person ticks it; verification and password
    reset mail are transactional and sent regardless. The whole signup is one transaction, so a
    failure half-way leaves no user without an email address behind.

    A look-alike of a member's address (a zero-width space, fullwidth letters) normalises to that
    address, so it is a duplicate and takes allauth's path for one: no account, the same "check
    your inbox" page as every sign-up (ACCOUNT_PREVENT_ENUMERATION: the page never says whether an
    address is registered) and, to the owner, allauth's "you already have an account" notice,
    never a confirmation link. A display name another account holds is refused ("taken").
    """

    display_name = DisplayNameField(
        label=_("Display name (optional)"),
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text=_("Shown next to your posts instead of your email."),
    )
    referral_source = forms.ChoiceField(
        label=_("How did you hear about us? (optional)"),
        choices=[("", "—"), *User.ReferralSource.choices],
        required=False,
    )
    marketing_opt_in = forms.BooleanField(
        label=_("Send me occasional newsletters and community digests"),
        required=False,
        initial=False,
        help_text=_("You can change this any time in your profile. Account emails are sent regardless."),
    )
    feedback_opt_in = forms.BooleanField(
        label=_("Ask me now and then how you are doing (a two-question survey)"),
        required=False,
        initial=False,
        help_text=_("At most once every few months. You can change this any time in your profile."),
    )

    email = EmailAddressField()

    field_order = [
        "email",
        "password1",
        "password2",
        "display_name",
        "referral_source",
        "marketing_opt_in",
        "feedback_opt_in",
    ]

    def save(self, request):
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user):
        """Store the extras; the language the page was shown in becomes the preferred language."""
        user.display_name = self.cleaned_data.get("display_name", "")
        user.referral_source = self.cleaned_data.get("referral_source", "")
        language = get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.set_marketing_consent(self.cleaned_data.get("marketing_opt_in", False))
        if self.cleaned_data.get("feedback_opt_in", False):
            user.feedback_opt_in, user.feedback_opt_in_at = True, timezone.now()
        fields = [
            "display_name",
            "referral_source",
            "preferred_language",
            "marketing_opt_in",
            "marketing_opt_in_at",
            "feedback_opt_in",
            "feedback_opt_in_at",
        ]
        try:
            with transaction.atomic():
                user.save(update_fields=fields)
        except IntegrityError:
            # Someone took a look-alike of the name since the form was checked: the account is
            # still made, under the first free variant ("Name 2"), which the profile can change.
            user.display_name = User.objects.free_display_name(user.display_name)
            user.save(update_fields=fields)
        record_initial_consent(user, ConsentRecord.Source.SIGN_UP)


class ProfileForm(DisplayNameIsFree, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "time_zone", "marketing_opt_in", "feedback_opt_in"]
        field_classes = {"display_name": DisplayNameField}
        labels = {
            "marketing_opt_in": _("Send me occasional newsletters and community digests"),
            "feedback_opt_in": _("Ask me now and then how you are doing (a two-question survey)"),
        }
        help_texts = {
            "marketing_opt_in": _("Account emails (verification, password reset, ticket replies) are sent regardless."),
            "feedback_opt_in": _("At most once every few months."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_owner = self.instance
        # Each language under its own name: a reader looks for their own language's name.
        self.fields["preferred_language"].choices = [
            (code, settings.LANGUAGE_NATIVE_NAMES.get(code, name)) for code, name in settings.LANGUAGES
        ]
        # A list of the zones this system knows (blank: the browser's zone), so no name can be typed wrong.
        self.fields["time_zone"] = forms.ChoiceField(
            label=capfirst(User._meta.get_field("time_zone").verbose_name),
            help_text=User._meta.get_field("time_zone").help_text,
            choices=[("", _("Use my browser's time zone"))] + [(name, name) for name in time_zone_names()],
            required=False,
        )

    def save(self, commit=True):
        wanted = {topic: self.cleaned_data[flag] for topic, (flag, _since) in CONSENT_FIELDS.items()}
        user = super().save(commit=False)
        # construct_instance already copied the new values; restore the stored ones: consent
        # changes only through set_consent, which writes the ledger.
        for flag, _since in CONSENT_FIELDS.values():
            setattr(user, flag, self.initial.get(flag, False))
        if commit:
            with transaction.atomic():
                user.save()
                for topic, granted in wanted.items():
                    set_consent(user, topic, granted, ConsentRecord.Source.PROFILE)
        return user

    def save_or_refuse(self) -> bool:
        """Save; False (with the "taken" error on the name) if the name was taken meanwhile."""
        try:
            with transaction.atomic():
                self.save()
        except IntegrityError:
            self.add_error("display_name", ValidationError(NAME_TAKEN, code="name_taken"))
            return False
        return True
