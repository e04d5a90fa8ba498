"""Membership pages: answering an invitation, accepting the agreements, the member directory.

Thin: every change is a call to customer_council.services.membership; a refusal is shown with its
message and status.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from customer_council.access import current_membership, pending_agreements
from customer_council.forms_membership import AgreementsForm, DirectoryEntryForm, InvitationAnswerForm
from customer_council.gate import member_required
from customer_council.models import Membership
from customer_council.privacy import confidential
from customer_council.services import membership as services
from forum.views.responses import writes_rate_limited
from sitewide.errors import ActionRefused
from sitewide.ratelimit import take_attempt, too_many_requests

#: Unknown invitation links count against the wrong-guess limit (like page passwords).
GUESS_LIMIT = "council_join"


def _refused(request, error: ActionRefused, *, invitation=None):
    return render(
        request,
        "customer_council/membership/join_refused.html",
        {"message": error.message, "invitation": invitation},
        status=error.status,
    )


@confidential
@require_http_methods(["GET", "POST"])
def join(request, token):
    """The invitation link: what it is for, and (to the invited account) accept or decline."""
    invitation = services.find_invitation(token)
    if invitation is None:
        attempt = take_attempt(GUESS_LIMIT, request, scope="council-join")
        if not attempt.allowed:
            return too_many_requests(attempt, _("Too many wrong links. Please wait a few minutes and try again."))
    try:
        services.check_invitation(invitation)
    except ActionRefused as error:
        return _refused(request, error)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.path)
        query = urlencode({"next": request.path})
        return render(
            request,
            "customer_council/membership/join.html",
            {
                "invitation": invitation,
                "membership": invitation.membership,
                "login_url": f"{reverse('account_login')}?{query}",
                "signup_url": f"{reverse('account_signup')}?{query}",
            },
        )
    try:
        services.check_invitee(invitation, request.user)
    except ActionRefused as error:
        return _refused(request, error, invitation=invitation)
    form = InvitationAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            error = ActionRefused(_("Choose to accept or decline the invitation."))
            return _refused(request, error, invitation=invitation)
        try:
            if form.cleaned_data["answer"] == "decline":
                services.decline(token, request.user)
                context = {"membership": invitation.membership}
                return render(request, "customer_council/membership/declined.html", context)
            services.accept(token, request.user)
        except ActionRefused as error:
            return _refused(request, error, invitation=invitation)
        if pending_agreements(request.user):
            return redirect("customer_council:agreements")
        messages.success(request, _("Welcome to the customer advisory council."))
        return redirect("customer_council:home")
    return render(
        request,
        "customer_council/membership/join.html",
        {"invitation": invitation, "membership": invitation.membership, "form": form},
    )


@confidential
@require_http_methods(["GET", "POST"])
def agreements(request):
    """The current charter and confidentiality agreement, for a member who has not accepted them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if current_membership(request.user) is None:
        raise Http404
    language = get_language()
    pending = services.agreements_to_accept(request.user, language)
    if not pending:
        return redirect("customer_council:home")
    revisions = ",".join(str(agreement.live_revision_id) for agreement in pending)
    form = AgreementsForm(request.POST or None, initial={"revisions": revisions})
    status, refusal = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.accept_agreements(request.user, language, form.cleaned_data["revisions"])
            except ActionRefused as error:
                # Shown again with the texts as they are now, to be read and accepted afresh.
                form = AgreementsForm(initial={"revisions": revisions})
                refusal, status = error.message, error.status
            else:
                messages.success(request, _("Thank you. The council is open to you."))
                return redirect("customer_council:home")
        else:
            status = 400
    # The live revision is the text published; the row may hold a newer, unpublished draft.
    texts = [(agreement, agreement.live_revision.as_object()) for agreement in pending]
    return render(
        request,
        "customer_council/membership/agreements.html",
        {
            "texts": texts,
            "form": form,
            "revisions": revisions,
            "refusal": refusal,
            "council_section": "agreements",
        },
        status=status,
    )


def directory_entries():
    """Active members in term, for other members: only their public name and what they opted in to."""
    today = timezone.localdate()
    seen, entries = set(), []
    memberships = (
        Membership.objects.filter(
            state=Membership.State.ACTIVE, term_start__lte=today, term_end__gte=today, user__is_active=True
        )
        .select_related("user")
        .order_by("user__display_name", "user_id", "-term_end")
    )
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        entries.append(
            {
                "name": membership.user.public_name,
                "company": membership.company if membership.show_company else "",
                "role": membership.role if membership.show_role else "",
                "region": membership.region if membership.show_region else "",
            }
        )
    return entries


@confidential
@member_required
@writes_rate_limited("council_profile")
@require_http_methods(["GET", "POST"])
def members(request):
    """The member directory, and the member's own entry to edit."""
    own = current_membership(request.user)
    form, status = None, 200
    if own is not None:
        initial = {name: getattr(own, name) for name in DirectoryEntryForm.base_fields}
        form = DirectoryEntryForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.update_directory_entry(request.user, **form.cleaned_data)
                except ActionRefused as error:
                    form.add_error(None, error.message)
                    status = error.status
                else:
                    messages.success(request, _("Your directory entry was saved."))
                    return redirect("customer_council:members")
            else:
                status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "customer_council/membership/members.html",
        {"entries": directory_entries(), "form": form, "council_section": "members"},
        status=status,
    )
