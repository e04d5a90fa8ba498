"""The public "Share your story" form: /<lang>/stories/share/, for logged-in customers.

A thin view: the form gives fields their shapes, stories.services.submissions.submit decides
(cleaning, limits, duplicates) and its refusal becomes a form error with its status (400, 409).
Post/Redirect/Get to a thank-you page; the submits of one client are rate-limited.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sitewide.errors import ActionRefused
from sitewide.ratelimit import rate_limited
from stories.forms_submissions import StorySubmissionForm
from stories.services import submissions as service

#: settings.RATE_LIMITS key of the submits.
SUBMIT_LIMIT = "story_submission"
FORM_TEMPLATE = "stories/submissions/share.html"


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def share(request):
    if request.method == "POST":
        return _submit(request)
    return render(request, FORM_TEMPLATE, {"form": StorySubmissionForm()})


@rate_limited(SUBMIT_LIMIT)
def _submit(request):
    form = StorySubmissionForm(request.POST)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form}, status=400)
    data = form.cleaned_data
    try:
        service.submit(
            request.user,
            company=data["company"],
            role=data["role"],
            language=get_language(),
            achievement=data["achievement"],
            figures=data["figures"],
            may_contact=data["may_contact"],
        )
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        return render(request, FORM_TEMPLATE, {"form": form}, status=refusal.status)
    return redirect("stories:share_thanks")


@never_cache
@require_GET
@login_required
def thanks(request):
    return render(request, "stories/submissions/thanks.html")
