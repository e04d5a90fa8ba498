"""The customer's pages behind an emailed link: approve a story (or ask for changes), withdraw
consent. No account: the link's token is the credential. Thin: every write is a call to
stories.services.consent; a refusal shows its message with its status, and nothing is written.
Every answer is private (no-store) and kept out of search engines (noindex).
"""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sitewide.errors import ActionRefused
from sitewide.ratelimit import take_attempt, too_many_requests
from stories.forms_consent import ApprovalForm, WithdrawalForm
from stories.models import Consent
from stories.services import consent as services

#: Unknown links count against the wrong-guess limit (like the council's invitation links).
GUESS_LIMIT = "story_approval"


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, error: ActionRefused):
    response = render(request, "stories/approval/refused.html", {"message": error.message}, status=error.status)
    return _private(response)


def _checked_link(request, token, purpose):
    """The usable link of ``token``, or the response refusing it (a 429 for too many wrong guesses)."""
    link = services.find_link(token)
    if link is None:
        attempt = take_attempt(GUESS_LIMIT, request, scope="story-links")
        if not attempt.allowed:
            return None, _private(too_many_requests(attempt, _("Too many wrong links. Please wait a few minutes.")))
    try:
        return services.check_link(link, purpose), None
    except ActionRefused as error:
        return None, _refused(request, error)


def preview_html(request, revision) -> str:
    """The revision rendered with the story's own template, showing everything the customer may
    allow (the scope form then decides what the published page shows)."""
    story = revision.as_object()
    story.active_consent = Consent(
        story_id=story.pk,
        show_name=True,
        show_logo=True,
        show_figures=True,
        show_photos=True,
        quote_ids=[quote.id for quote in story.quotes],
        approved_at=timezone.now(),
    )
    context = story.get_context(request)
    return render_to_string(story.get_template(request), context, request=request)


@require_http_methods(["GET", "POST"])
def approve(request, token):
    link, refusal = _checked_link(request, token, services.Purpose.APPROVE)
    if refusal is not None:
        return refusal
    choices = services.quote_choices(link.revision)
    # Consent is given, not assumed: nothing is ticked for the customer (name, logo, quotes alike).
    initial = {"name": link.story.customer.contact_name}
    form = ApprovalForm(request.POST or None, quote_choices=choices, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    services.approve(token, form.scope(), name=data["name"], comment=data["comment"])
                else:
                    services.request_changes(token, name=data["name"], comment=data["comment"])
            except ActionRefused as error:
                return _refused(request, error)
            return _private(render(request, "stories/approval/done.html", {"decision": data["decision"]}))
        status = 400
    context = {"link": link, "story": link.story, "form": form, "preview": preview_html(request, link.revision)}
    return _private(render(request, "stories/approval/approve.html", context, status=status))


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    link, refusal = _checked_link(request, token, services.Purpose.WITHDRAW)
    if refusal is not None:
        return refusal
    form = WithdrawalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw(token, comment=form.cleaned_data["comment"])
            except ActionRefused as error:
                return _refused(request, error)
            return _private(render(request, "stories/approval/done.html", {"decision": "withdraw"}))
        status = 400
    return _private(
        render(request, "stories/approval/withdraw.html", {"story": link.story, "form": form}, status=status)
    )
