"""Account forms. The signup extras are plugged into allauth with ACCOUNT_SIGNUP_FORM_CLASS."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignupExtrasForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    referral_source = forms.ChoiceField(
        label=_("How did you hear about us? (optional)"),
        choices=[("", "—")] + list(User.ReferralSource.choices),
        required=False,
    )
    marketing_opt_in = forms.BooleanField(
        label=_("Send me occasional newsletters and community digests"),
        required=False,
        initial=False,
        help_text=_("You can change this any time in your profile. Account emails are sent regardless."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        user.referral_source = self.cleaned_data.get("referral_source", "")
        language = get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.set_marketing_consent(self.cleaned_data.get("marketing_opt_in", False))
        if not user.username:
            user.username = user.email
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "marketing_opt_in"]

    def save(self, commit=True):
        opted_in = self.cleaned_data["marketing_opt_in"]
        user = super().save(commit=False)
        # construct_instance already copied the new value; restore the stored one so the
        # consent time is set only on a real change.
        user.marketing_opt_in = self.initial.get("marketing_opt_in", False)
        user.set_marketing_consent(opted_in)
        if commit:
            user.save()
        return user
