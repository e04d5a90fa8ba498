"""Detractor follow-ups in the agent inbox: a list with filters and a page per follow-up.

The list shows who answered, the score and comment, how long the follow-up has waited, its state
and assignee; by default only the follow-ups still to do (open or contacted). The page shows the
answer, the customer's latest tickets, a link to their timeline and the one form that changes the
state, assignee and note through customer_voice.services.followup_actions. Reading needs
"view follow-up", changing "change follow-up" (both given to Support agents).

A follow-up of an answer given in a survey run to an audience the viewer may not see (the
council's, for anyone but council managers) is not in the list, not in the menu's count, and its
page is a 404 (customer_voice.services.audiences.may_see_audience).
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, MultipleChoiceFilter
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView

from customer_voice.models import FollowUp
from customer_voice.services.audiences import hidden_audiences, visible_follow_ups
from customer_voice.services.followup_actions import (
    assignable_agents,
    can_change_follow_ups,
    change_follow_up,
)
from sitewide.errors import ActionRefused
from sitewide.ids import parse_id
from support.models import Ticket
from support.viewsets import SUPPORT_MENU_HOOK, InspectOnlyViewSet

#: What the list shows when no state is chosen: the follow-ups still to do.
TO_DO = [FollowUp.State.OPEN, FollowUp.State.CONTACTED]
MINE, UNASSIGNED = "mine", "unassigned"
#: Characters of a comment shown in the list (the page shows it whole).
LISTED_COMMENT_LENGTH = 140
#: The customer's tickets shown on a follow-up's page.
LATEST_TICKETS = 5


class FollowUpFilterSet(WagtailFilterSet):
    state = MultipleChoiceFilter(
        label=gettext_lazy("State"), choices=FollowUp.State.choices, widget=forms.CheckboxSelectMultiple
    )
    assignee = ChoiceFilter(
        label=gettext_lazy("Assignee"),
        choices=[(MINE, gettext_lazy("Mine")), (UNASSIGNED, gettext_lazy("Unassigned"))],
        method="filter_assignee",
        empty_label=gettext_lazy("Anyone"),
    )

    class Meta:
        model = FollowUp
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # No state chosen: the follow-ups still to do (checked in the form, so the agent sees why).
        if data is not None and not data.getlist("state"):
            data = data.copy()
            data.setlist("state", [str(state) for state in TO_DO])
        super().__init__(data, *args, **kwargs)

    def filter_assignee(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(assignee=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset


def customer_name(user) -> str:
    return user.display_name or user.get_full_name() or user.get_username()


def customer_cell(follow_up: FollowUp):
    customer = follow_up.customer
    if customer is None:
        return _("Deleted account")
    return format_html("<bdi>{}</bdi> &lt;<bdi>{}</bdi>&gt;", customer_name(customer), customer.email)


def comment_cell(follow_up: FollowUp):
    comment = Truncator(follow_up.response.comment).chars(LISTED_COMMENT_LENGTH)
    return format_html('<span dir="auto" data-follow-up-comment>{}</span>', comment)


def score_cell(follow_up: FollowUp):
    return format_html("<bdi>{}</bdi>", follow_up.response.score)


def age_cell(follow_up: FollowUp):
    return format_html("<bdi>{}</bdi>", timesince(follow_up.created_at))


def assignee_cell(follow_up: FollowUp):
    if follow_up.assignee is None:
        return _("Unassigned")
    return format_html("<bdi>{}</bdi>", customer_name(follow_up.assignee))


class FollowUpIndexView(IndexView):
    """Oldest first within the chosen states: every column comes from the follow-up, its answer,
    customer and assignee (one joined query), so 50 rows cost what 5 do."""

    def get_base_queryset(self):
        follow_ups = super().get_base_queryset().select_related("response", "customer", "assignee")
        return visible_follow_ups(follow_ups, hidden_audiences(self.request.user))

    @cached_property
    def columns(self):
        return [
            self._get_title_column("customer", accessor=customer_cell),
            Column("score", label=gettext_lazy("Score"), accessor=score_cell),
            Column("comment", label=gettext_lazy("Main reason"), accessor=comment_cell),
            Column("age", label=gettext_lazy("Waiting for"), accessor=age_cell, sort_key="created_at"),
            Column("state", label=gettext_lazy("State"), accessor="get_state_display", sort_key="state"),
            Column("assignee", label=gettext_lazy("Assignee"), accessor=assignee_cell),
        ]

    def get_edit_url(self, instance):
        # Changes are made on the follow-up's page, never an edit form.
        return None


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=FollowUp.State.choices)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assignee"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Nobody"),
    )
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        required=False,
        max_length=FollowUp._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_agents()
        self.fields["assignee"].label_from_instance = customer_name


class FollowUpView(InspectView):
    """One follow-up: the answer, the customer's latest tickets, and the form (POST)."""

    template_name = "customer_voice/admin/follow_up.html"
    page_title = gettext_lazy("Detractor follow-up")
    header_icon = "warning"

    def get_object(self, queryset=None):
        pk = parse_id(self.pk)
        if pk is None:
            raise Http404
        follow_ups = FollowUp.objects.select_related("response__invitation", "response__ticket", "customer", "assignee")
        return get_object_or_404(visible_follow_ups(follow_ups, hidden_audiences(self.request.user)), pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        follow_up = self.object
        customer = follow_up.customer
        form = kwargs.get("form") or FollowUpForm(
            initial={"state": follow_up.state, "assignee": follow_up.assignee_id, "note": follow_up.note}
        )
        tickets = []
        if customer is not None:
            tickets = list(Ticket.objects.filter(requester=customer).order_by("-created_at", "-pk")[:LATEST_TICKETS])
        context.update(
            follow_up=follow_up,
            answer=follow_up.response,
            customer=customer,
            customer_name=customer_name(customer) if customer else "",
            tickets=tickets,
            timeline_url=reverse("customer_voice_timeline:customer", args=[customer.pk]) if customer else "",
            can_change=can_change_follow_ups(self.request.user),
            form=form,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not can_change_follow_ups(request.user):
            # Wagtail's answer to a refused admin request: back to the dashboard with a message.
            return permission_denied(request)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change_follow_up(
                    request.user,
                    self.object,
                    state=data["state"],
                    assignee=data["assignee"],
                    note=data["note"],
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The follow-up was saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FollowUpViewSet(InspectOnlyViewSet):
    model = FollowUp
    icon = "warning"
    menu_label = gettext_lazy("Detractor follow-ups")
    menu_name = "support-follow-ups"
    #: After the inbox (100), before the reports (200+).
    menu_order = 150
    menu_hook = SUPPORT_MENU_HOOK
    index_view_class = FollowUpIndexView
    inspect_view_class = FollowUpView
    filterset_class = FollowUpFilterSet
    search_fields = ["customer__email", "customer__display_name", "response__comment"]
    ordering = ["created_at", "pk"]
    list_per_page = 50

    @cached_property
    def menu_item_class(self):
        shown = super().menu_item_class

        class FollowUpMenuItem(shown):
            """The menu item with the number still to do, so agents see it on every admin page
            (one COUNT query, only for those who may open the list)."""

            def render_component(self, request):
                count = open_follow_ups_count(request.user)
                label = self.label
                if count:
                    label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
                return LinkMenuItemComponent(
                    self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
                )

        return FollowUpMenuItem


def open_follow_ups_count(viewer) -> int:
    """Follow-ups still to do that ``viewer`` may see (one query): shown beside the menu item."""
    return visible_follow_ups(FollowUp.objects.filter(state__in=TO_DO), hidden_audiences(viewer)).count()
