"""Signed survey links: the invitation's random token, signed with a timestamp.

A link is ``/<lang>/feedback/answer/<signed>/`` (optionally ``?score=N``, the one-click score of
an email). The signature makes a guessed or altered token fail before the database is asked; the
timestamp makes a link stop working after ``settings.VOICE_SURVEY_LINK_DAYS``. Each failure is its
own exception, with the HTTP status a page refusing it answers with.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from customer_voice.models import SurveyInvitation
from sitewide.errors import ActionRefused

SALT = "customer_voice.survey"
#: A signed token is about 60 characters; anything much longer is not one of ours.
MAX_SIGNED_LENGTH = 200


class SurveyLinkRefused(ActionRefused):
    """A survey link that cannot be used; ``message`` says why, ``status`` is the HTTP answer."""


class ForgedSurveyLink(SurveyLinkRefused):
    status = 400

    def __init__(self):
        super().__init__(_("This survey link is not valid. Please use the link from your email as it was sent."))


class ExpiredSurveyLink(SurveyLinkRefused):
    status = 410

    def __init__(self):
        super().__init__(_("This survey link has expired. Thank you for your interest all the same."))


class UnknownSurveyLink(SurveyLinkRefused):
    status = 404

    def __init__(self):
        super().__init__(_("We could not find this survey. It may have been withdrawn."))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def signed_token(invitation: SurveyInvitation) -> str:
    return _signer().sign(invitation.token)


def site_url(path: str) -> str:
    """``path`` on the site's configured address (BASE_URL), for links in emails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _language(invitation: SurveyInvitation, language: str | None) -> str:
    language = language or invitation.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def survey_url(
    invitation: SurveyInvitation, score: int | None = None, *, absolute: bool = True, language: str | None = None
) -> str:
    """The survey page of ``invitation`` in ``language`` (by default the invitation's, as emails
    link it; the site passes the language the customer is reading in); with ``score``, the
    one-click link that records that score."""
    with translation.override(_language(invitation, language)):
        path = reverse("voice:survey", kwargs={"signed": signed_token(invitation)})
    if score is not None:
        path += "?" + urlencode({"score": score})
    return site_url(path) if absolute else path


def thanks_url(invitation: SurveyInvitation, *, language: str | None = None) -> str:
    with translation.override(_language(invitation, language)):
        return reverse("voice:survey_thanks", kwargs={"signed": signed_token(invitation)})


def invitation_from_signed(value: str) -> SurveyInvitation:
    """The invitation behind a signed link.

    Raises :class:`ForgedSurveyLink` (bad or altered signature), :class:`ExpiredSurveyLink`
    (signed more than VOICE_SURVEY_LINK_DAYS ago) or :class:`UnknownSurveyLink` (a genuine
    signature, but the invitation is gone).
    """
    value = str(value or "")
    if not value or len(value) > MAX_SIGNED_LENGTH or "\x00" in value:
        raise ForgedSurveyLink()
    try:
        token = _signer().unsign(value, max_age=timedelta(days=settings.VOICE_SURVEY_LINK_DAYS))
    except signing.SignatureExpired as error:
        raise ExpiredSurveyLink() from error
    except signing.BadSignature as error:
        raise ForgedSurveyLink() from error
    invitation = SurveyInvitation.objects.select_related("user").filter(token=token).first()
    if invitation is None:
        raise UnknownSurveyLink()
    return invitation
