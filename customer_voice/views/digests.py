"""One-click unsubscribe and the email preferences page.

* ``/email/unsubscribe/<token>/`` (no language prefix): a mail client's RFC 8058 one-click POST
  ("List-Unsubscribe=One-Click") withdraws newsletter consent and answers 200. It is exempt from
  CSRF because the standard's POST comes from a mail client that has no CSRF token; the signed
  token is the authority, and the only thing it can do is *withdraw* consent. A GET changes
  nothing (link scanners open every link in an email) and redirects to the preferences page.
* ``/<lang>/email-preferences/`` (logged in) and ``/<lang>/email-preferences/<token>/`` (from an
  email, no login): the checkboxes, "Unsubscribe from all" and the person's consent history.

Forged or garbled tokens answer 400 with a page saying so; wrong tokens count against
``RATE_LIMITS["voice_link"]`` per client.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.consent import set_consent
from accounts.models import ConsentRecord
from customer_voice.forms_digests import EmailPreferencesForm
from customer_voice.services.digest import GrantRefused, change_preferences, read_token
from sitewide.ratelimit import take_attempt, too_many_requests

LINK_LIMIT = "voice_link"
#: The query parameter the unsubscribe link's redirect adds: unticking then counts as unsubscribing.
FROM_UNSUBSCRIBE = "unsubscribe"
HISTORY_SIZE = 100


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _holder_or_refusal(request, token):
    """Whose preferences ``token`` opens, or the 400 (429 after too many wrong ones) refusing it."""
    holder = read_token(token)
    if holder is not None:
        return holder, None
    attempt = take_attempt(LINK_LIMIT, request)
    if not attempt.allowed:
        return None, _private(too_many_requests(attempt, _("Too many wrong links. Please wait a few minutes.")))
    return None, _private(render(request, "customer_voice/digests/bad_link.html", status=400))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    holder, refusal = _holder_or_refusal(request, token)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        language = holder.user.preferred_language
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            url = reverse("voice:email_preferences_signed", kwargs={"token": token})
        return _private(HttpResponseRedirect(f"{url}?from={FROM_UNSUBSCRIBE}"))
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return _private(
            HttpResponse(
                _("This address unsubscribes with a one-click POST (RFC 8058). Open the link in a browser instead."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        )
    set_consent(holder.user, holder.topic, False, ConsentRecord.Source.ONE_CLICK)
    return _private(HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8"))


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    person = get_user_model()._default_manager.get(pk=request.user.pk)
    return _preferences(request, person, action=reverse("voice:email_preferences"), may_grant=True)


@require_http_methods(["GET", "POST"])
def email_preferences_signed(request, token):
    holder, refusal = _holder_or_refusal(request, token)
    if refusal is not None:
        return refusal
    action = reverse("voice:email_preferences_signed", kwargs={"token": token})
    return _preferences(request, holder.user, action=action, may_grant=holder.may_grant, signed=True)


def _preferences(request, person, *, action: str, may_grant: bool, signed: bool = False):
    from_unsubscribe = (request.GET.get("from") or request.POST.get("from")) == FROM_UNSUBSCRIBE
    status = 200
    if request.method == "POST":
        form = EmailPreferencesForm.for_user(person, request.POST)
        if "unsubscribe_all" in request.POST:
            wanted = dict.fromkeys(EmailPreferencesForm.TOPICS.values(), False)
        elif form.is_valid():
            wanted = form.wanted()
        else:
            wanted = None
        if wanted is not None:
            try:
                change_preferences(person, wanted, from_unsubscribe_link=from_unsubscribe, may_grant=may_grant)
            except GrantRefused as error:
                form.add_error(None, str(error))
            else:
                if any(wanted.values()):
                    messages.success(request, _("Your email preferences have been saved."))
                else:
                    messages.success(request, _("You are unsubscribed from newsletters and feedback surveys."))
                suffix = f"?from={FROM_UNSUBSCRIBE}" if from_unsubscribe else ""
                return _private(HttpResponseRedirect(action + suffix))
        status = 400
        person.refresh_from_db()
    form = EmailPreferencesForm.for_user(person) if status == 200 else form
    context = {
        "form": form,
        "person": person,
        "action": action,
        "signed": signed,
        "may_grant": may_grant,
        "from_unsubscribe": from_unsubscribe,
        "history": list(ConsentRecord.objects.filter(user=person).order_by("-at", "-pk")[:HISTORY_SIZE]),
    }
    return _private(render(request, "customer_voice/digests/preferences.html", context, status=status))
