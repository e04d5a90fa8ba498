"""My requests: a signed-in customer's tickets, a ticket's thread, the reply form and "Mark as solved".

Thin: support.customer_tickets holds every check and write. A ticket is shown to its requester
only; anyone else gets a 404, the same answer as an unknown reference, so references cannot be
probed (staff read tickets in the admin). A logged-out visitor gets that 404 too, on a page that
offers to log in (the agent's reply email links here).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sitewide.errors import ActionRefused
from sitewide.ratelimit import rate_limited
from support.customer_tickets import (
    SOLVABLE,
    author_label,
    clean_reply,
    customer_request,
    customer_requests,
    customer_thread,
    mark_solved_by_customer,
    reply_as_customer,
)
from support.models import Ticket
from support.models.tickets import MAX_DESCRIPTION_LENGTH

REQUESTS_PER_PAGE = 20


class CustomerReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        # The length is checked after cleaning (clean_reply), so the message names the limit.
        max_length=MAX_DESCRIPTION_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION_LENGTH}),
        error_messages={"required": gettext_lazy("Write a message first.")},
    )

    def clean_body(self):
        try:
            return clean_reply(self.cleaned_data["body"])
        except ActionRefused as refused:
            raise forms.ValidationError(refused.message, code="invalid") from None


@never_cache
@require_GET
@login_required
def my_requests(request):
    page = Paginator(customer_requests(request.user), REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "support/requests/list.html", {"page_obj": page, "tickets": page.object_list})


def _own_ticket(request, reference) -> Ticket:
    ticket = customer_request(request.user, reference)
    if ticket is None:
        raise Http404
    return ticket


def _not_found_for_visitors(request):
    """The 404 a logged-out visitor gets for any reference, known or not: with a way to log in."""
    login = redirect_to_login(request.get_full_path())["Location"]
    return render(request, "support/requests/login_needed.html", {"login_url": login}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def request_detail(request, reference):
    if not request.user.is_authenticated:
        return _not_found_for_visitors(request)
    ticket = _own_ticket(request, reference)
    if request.method == "POST":
        return _reply(request, ticket)
    return _render_detail(request, ticket, CustomerReplyForm())


def _render_detail(request, ticket, form, *, status=200, error=""):
    thread = [(message, author_label(message)) for message in customer_thread(ticket)]
    context = {
        "ticket": ticket,
        "thread": thread,
        "form": form,
        "can_reply": ticket.status != Ticket.Status.CLOSED,
        "can_mark_solved": ticket.status in SOLVABLE,
        "error": error,
    }
    return render(request, "support/requests/detail.html", context, status=status)


@rate_limited("support_reply")
def _reply(request, ticket):
    form = CustomerReplyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, ticket, form, status=400)
    try:
        outcome = reply_as_customer(request.user, ticket, form.cleaned_data["body"])
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        ticket.refresh_from_db()
        return _render_detail(request, ticket, form, status=refused.status)
    messages.success(request, _("Your reply was sent. We will email you when support answers."))
    url = reverse("support:request", args=[ticket.reference])
    return HttpResponseRedirect(f"{url}#message-{outcome.message.pk}")


@never_cache
@require_POST
@rate_limited("support_reply")
def mark_solved(request, reference):
    if not request.user.is_authenticated:
        return _not_found_for_visitors(request)
    ticket = _own_ticket(request, reference)
    try:
        mark_solved_by_customer(request.user, ticket)
    except ActionRefused as refused:
        ticket.refresh_from_db()
        return _render_detail(request, ticket, CustomerReplyForm(), status=refused.status, error=refused.message)
    messages.success(request, _("Thank you. Your request is marked as solved."))
    return HttpResponseRedirect(reverse("support:request", args=[ticket.reference]))
