"""Survey pages: the answer page of a signed link, its thanks page, and the in-site NPS survey.

Thin: every write is a call to customer_voice.services.surveys. The signed link is the
credential (no login needed); a forged, expired or unknown link gets a page saying so with its
status (400, 410, 404), and those wrong links count against the "voice_link" rate limit. A
score link opened by a browser records its score at once (one click, then "why?"); opened by a
mail scanner or a link previewer (sitewide.bots) it only shows the form, whose button records it.
Every answer page is private (no-store) and kept out of search engines.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customer_voice.forms_surveys import AnswerForm, DismissForm
from customer_voice.links import SurveyLinkRefused, invitation_from_signed, survey_url, thanks_url
from customer_voice.models import SurveyResponse
from customer_voice.models.surveys import SurveyKind
from customer_voice.services import surveys as services
from sitewide.errors import ActionRefused
from sitewide.ratelimit import take_attempt, too_many_requests
from sitewide.reader import reader_of
from sitewide.redirects import local_path_or

LINK_LIMIT = "voice_link"
ANSWER_LIMIT = "voice_answer"


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _limited(request, action: str, message: str):
    """A 429 when this client went over ``action``'s limit, else None."""
    attempt = take_attempt(action, request)
    if attempt.allowed:
        return None
    return _private(too_many_requests(attempt, message))


def _invitation_or_refusal(request, signed):
    try:
        return invitation_from_signed(signed), None
    except SurveyLinkRefused as error:
        refusal = _limited(request, LINK_LIMIT, _("Too many wrong links. Please wait a few minutes."))
        if refusal is None:
            refusal = _private(
                render(
                    request,
                    "customer_voice/surveys/refused.html",
                    {"message": error.message},
                    status=error.status,
                )
            )
        return None, refusal


def _already(request, response: SurveyResponse):
    return _private(render(request, "customer_voice/surveys/already.html", {"response": response}))


def _form_page(request, invitation, form, *, status=200, recorded=None, message=""):
    context = {
        "invitation": invitation,
        "form": form,
        "is_nps": invitation.kind == SurveyKind.NPS,
        "recorded": recorded,
        "message": message,
        "action_url": survey_url(invitation, absolute=False, language=get_language()),
    }
    return _private(render(request, "customer_voice/surveys/survey.html", context, status=status))


@require_http_methods(["GET", "POST"])
def survey(request, signed):
    """The survey of a signed link: the scale (with ``?score=N`` recorded in one click), then
    "What is the main reason?"."""
    invitation, refusal = _invitation_or_refusal(request, signed)
    if refusal is not None:
        return refusal
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    if response is not None and not services.can_change(response):
        return _already(request, response)

    if request.method == "POST":
        refusal = _limited(request, ANSWER_LIMIT, _("Too many answers. Please wait a few minutes."))
        if refusal is not None:
            return refusal
        form = AnswerForm(request.POST, kind=invitation.kind)
        if not form.is_valid():
            return _form_page(request, invitation, form, status=400, recorded=response)
        try:
            outcome = services.record_answer(invitation, form.cleaned_data["score"], form.cleaned_data["comment"])
        except ActionRefused as error:
            form.add_error(None, error.message)
            return _form_page(request, invitation, form, status=error.status, recorded=response)
        if outcome.already_answered:
            return _already(request, outcome.response)
        return redirect(thanks_url(invitation, language=get_language()))

    initial = {"score": response.score} if response is not None else {}
    raw_score = request.GET.get("score")
    if raw_score is None:
        return _form_page(request, invitation, AnswerForm(initial=initial, kind=invitation.kind), recorded=response)
    score = services.parse_score(invitation.kind, raw_score)
    if score is None:
        form = AnswerForm(initial=initial, kind=invitation.kind)
        message = _("That score is not on the scale. Please choose one below.")
        return _form_page(request, invitation, form, status=400, recorded=response, message=message)
    if reader_of(request).is_bot:
        # Mail scanners and link previewers open every link of an email: they must not answer.
        # The score is only preselected; the person's click on the button records it.
        return _form_page(request, invitation, AnswerForm(initial={"score": score}, kind=invitation.kind))
    refusal = _limited(request, ANSWER_LIMIT, _("Too many answers. Please wait a few minutes."))
    if refusal is not None:
        return refusal
    outcome = services.record_answer(invitation, score)
    if outcome.already_answered:
        return _already(request, outcome.response)
    form = AnswerForm(initial={"score": outcome.response.score}, kind=invitation.kind)
    return _form_page(request, invitation, form, recorded=outcome.response)


@require_GET
def thanks(request, signed):
    """After an answer: promoters see the invitation to share their story or leave a review
    (once per VOICE_PROMOTER_INVITE_DAYS), everyone else a thank-you."""
    invitation, refusal = _invitation_or_refusal(request, signed)
    if refusal is not None:
        return refusal
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    if response is None:
        return redirect(survey_url(invitation, absolute=False, language=get_language()))
    promoter = services.promoter_invitation(response.user, response) if response.user_id else None
    context = {"response": response, "promoter": promoter, "is_nps": invitation.kind == SurveyKind.NPS}
    return _private(render(request, "customer_voice/surveys/thanks.html", context))


@login_required
@require_GET
def nps(request):
    """The in-site NPS survey of a logged-in customer who is due (their unanswered one of this
    period, or a new one made on this first visit); otherwise a page saying they are not due."""
    invitation = services.open_site_invitation(request.user, language=reader_of(request).language)
    if invitation is None:
        return _private(render(request, "customer_voice/surveys/not_due.html"))
    return redirect(survey_url(invitation, absolute=False, language=get_language()))


@login_required
@require_POST
def dismiss_nps_prompt(request):
    """Hide the in-site NPS invitation ({% nps_prompt %}) for the rest of this session."""
    if DismissForm(request.POST).is_valid():
        request.session[services.NPS_PROMPT_DISMISSED_KEY] = timezone.now().isoformat()
    return redirect(local_path_or(request, request.POST.get("next", ""), "/"))
