"""The agent inbox in the Wagtail admin: a ticket list with filters and search, and a ticket page.

The ticket page shows the thread, the requester, the language and the customer's journey before
writing (support.journey), and carries the agent's forms: reply or internal note submitted as a
status, change status, assignee, priority, resolve with an article, draft an article. Every
change goes through support.actions; this module only shows and validates. Reading needs the
"view ticket" permission, changing "change ticket" (both given to Support agents by support's
migrations).
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from kb.search.visibility import ARTICLE_LABEL, visible_ids
from sitewide.ids import parse_id
from sitewide.reader import Reader, reader_of
from support.actions import (
    ActionRefused,
    ThreadChanged,
    add_internal_note,
    agent_name,
    assign_ticket,
    can_handle_tickets,
    change_status,
    draft_article_from_ticket,
    existing_draft,
    reply_to_ticket,
    resolve_ticket,
    set_priority,
)
from support.admin_forms import (
    ACTION_FORMS,
    INTERNAL,
    SUBMIT_AS,
    AssignForm,
    PriorityForm,
    ReplyForm,
    ResolveForm,
    StatusForm,
)
from support.metrics import format_duration, ticket_durations
from support.models import Ticket

#: The hook the "Support" admin submenu collects its items from (see support.wagtail_hooks).
SUPPORT_MENU_HOOK = "register_support_menu_item"
LANGUAGE_NAMES = dict(settings.LANGUAGES)


#: Statuses that still wait for someone: the "All open" view, and "Mine" and "Unassigned" within it.
UNSOLVED = [Ticket.Status.OPEN, Ticket.Status.PENDING]
#: The inbox's views, as Zendesk's: (value of ?view=, label). "" is every ticket.
INBOX_VIEWS = [
    ("mine", gettext_lazy("Mine")),
    ("unassigned", gettext_lazy("Unassigned")),
    ("open", gettext_lazy("All open")),
]


def view_filter(view: str, user) -> Q:
    """The condition of an inbox view; every view but "All tickets" holds open and pending tickets only."""
    if view == "mine":
        return Q(status__in=UNSOLVED, assignee_id=user.pk)
    if view == "unassigned":
        return Q(status__in=UNSOLVED, assignee__isnull=True)
    if view == "open":
        return Q(status__in=UNSOLVED)
    return Q()


class TicketFilterSet(WagtailFilterSet):
    view = ChoiceFilter(
        label=gettext_lazy("View"), choices=INBOX_VIEWS, method="filter_view", empty_label=gettext_lazy("All tickets")
    )
    status = ChoiceFilter(label=gettext_lazy("Status"), choices=Ticket.Status.choices)
    priority = ChoiceFilter(label=gettext_lazy("Priority"), choices=Ticket.Priority.choices)
    language = ChoiceFilter(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    created_at = DateFromToRangeFilter(label=gettext_lazy("Opened"), widget=DateRangePickerWidget)

    class Meta:
        model = Ticket
        fields = []

    def filter_view(self, queryset, name, value):
        return queryset.filter(view_filter(value, self.request.user))


class TicketIndexView(IndexView):
    """The inbox: newest tickets first, with the views "Mine", "Unassigned", "All open" as tabs above.

    Every column is a field of the ticket or its assignee (joined), so a page of 50 tickets costs
    the same few queries as a page of 5; the tabs' counts are one aggregate query.
    """

    results_template_name = "support/admin/inbox_results.html"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("assignee")

    def get_edit_url(self, instance):
        # Tickets are never edited as a form: the reference links to the ticket page instead.
        return None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["inbox_views"] = self.inbox_views()
        return context

    def inbox_views(self) -> list[dict]:
        """The tabs: label, link (keeping the other filters and the search), count, current or not."""
        user = self.request.user
        views = [("", gettext_lazy("All tickets"))] + INBOX_VIEWS
        counts = Ticket.objects.aggregate(
            **{view or "all": Count("pk", filter=view_filter(view, user)) for view, _label in views}
        )
        current = self.request.GET.get("view", "")
        kept = [(key, value) for key, value in self.request.GET.lists() if key not in ("view", "p")]
        tabs = []
        for view, label in views:
            query = [(key, value) for key, values in kept for value in values] + ([("view", view)] if view else [])
            tabs.append(
                {
                    "label": label,
                    "url": f"{self.index_url}?{urlencode(query)}" if query else self.index_url,
                    "count": counts[view or "all"],
                    "current": view == current,
                }
            )
        return tabs


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


#: Journey entries by kind: (key in Ticket.journey, label).
JOURNEY_PARTS = [
    ("searches", gettext_lazy("Searched")),
    ("articles_read", gettext_lazy("Read")),
    ("votes", gettext_lazy("Voted")),
    ("suggestions_shown", gettext_lazy("Shown suggestions")),
    ("suggestions_opened", gettext_lazy("Opened a suggestion")),
    ("solved_confirmed", gettext_lazy("Confirmed solved")),
]


def journey_timeline(journey, reader: Reader) -> list[dict]:
    """The ticket's journey snapshot as one list in time order: {"at", "label", "entry"}.

    Articles and suggested results this staff member may not open (a council topic the customer
    was shown, an article of a group the agent is not in) are left out, like from every listing.
    """
    timeline = []
    if not isinstance(journey, dict):
        return timeline
    for key, label in JOURNEY_PARTS:
        for entry in journey.get(key) or []:
            if isinstance(entry, dict):
                entry = dict(entry)
                if "articles" in entry:  # tickets opened before results of every kind were kept
                    articles = entry.pop("articles") or []
                    entry["results"] = [
                        {"kind": ARTICLE_LABEL, "id": a.get("id"), "title": a.get("title", "")}
                        for a in articles
                        if isinstance(a, dict)
                    ]
                timeline.append({"at": _moment(entry.get("at")), "kind": key, "label": label, "entry": entry})
    _hide_unseen(timeline, reader)
    timeline.sort(key=lambda item: item["at"] or datetime.datetime.min.replace(tzinfo=datetime.UTC))
    return timeline


def _hide_unseen(timeline: list[dict], reader: Reader) -> None:
    """Drop the articles and results of the entries that this reader may not see (one check per kind)."""
    wanted: dict[str, set[int]] = {}
    for item in timeline:
        entry = item["entry"]
        article = entry.get("article")
        if isinstance(article, dict) and isinstance(article.get("id"), int):
            wanted.setdefault(ARTICLE_LABEL, set()).add(article["id"])
        for result in _entry_results(entry):
            wanted.setdefault(result["kind"], set()).add(result["id"])
    seen = {kind: visible_ids(reader, kind, ids) for kind, ids in wanted.items()}
    for item in timeline:
        entry = item["entry"]
        article = entry.get("article")
        if isinstance(article, dict) and article.get("id") not in seen.get(ARTICLE_LABEL, ()):
            entry["article"] = None
        if "results" in entry:
            entry["results"] = [r for r in _entry_results(entry) if r["id"] in seen.get(r["kind"], ())]
        if isinstance(entry.get("result"), dict):
            result = entry["result"]
            if result.get("id") not in seen.get(result.get("kind"), ()):
                entry["result"] = None


def _entry_results(entry) -> list[dict]:
    results = list(entry.get("results") or []) + [entry.get("result")]
    return [
        r for r in results if isinstance(r, dict) and isinstance(r.get("kind"), str) and isinstance(r.get("id"), int)
    ]


def _moment(value):
    """The time of a journey entry, or None when it is missing or not a time."""
    try:
        moment = parse_datetime(str(value or ""))
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


class TicketView(InspectView):
    """One ticket: thread, requester, journey, and the agent's forms (POST)."""

    template_name = "support/admin/ticket.html"
    page_title = gettext_lazy("Ticket")
    header_icon = "mail"

    def get_object(self, queryset=None):
        pk = parse_id(self.pk)
        if pk is None:
            raise Http404
        return get_object_or_404(Ticket.objects.select_related("requester", "resolved_with", "assignee"), pk=pk)

    def get_page_subtitle(self):
        return f"{self.object.reference}: {self.object.subject}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket = self.object
        thread = list(ticket.messages.select_related("author").order_by("created_at", "pk"))
        newest = max((message.pk for message in thread), default=0)
        forms = {
            "reply": ReplyForm(initial={"seen": newest}),
            "status": StatusForm(initial={"status": ticket.status}),
            "assign": AssignForm(initial={"assignee": ticket.assignee_id}),
            "priority": PriorityForm(initial={"priority": ticket.priority}),
            "resolve": ResolveForm(initial={"article": ticket.resolved_with_id}),
        } | kwargs.get("forms", {})
        durations = ticket_durations(ticket)
        context.update(
            ticket=ticket,
            thread=thread,
            language_name=language_name(ticket.language),
            assignee_name=agent_name(ticket.assignee),
            first_response_after=durations["first_response"] and format_duration(durations["first_response"]),
            solved_after=durations["resolution"] and format_duration(durations["resolution"]),
            submit_as=[(status, Ticket.Status(status).label) for status in SUBMIT_AS],
            timeline=journey_timeline(ticket.journey, reader_of(self.request)),
            can_handle=can_handle_tickets(self.request.user),
            draft=existing_draft(ticket),
            forms=forms,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not can_handle_tickets(request.user):
            raise PermissionDenied
        form_class = ACTION_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                return self.apply(form.cleaned_data)
            except ThreadChanged as refusal:
                # Keep what the agent wrote, and let the next submit go once they have read the thread.
                data = request.POST.copy()
                data["seen"] = self.object.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
                form = form_class(data)
                form.is_valid()
                form.add_error(None, str(refusal))
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
        context = self.get_context_data(forms={request.POST["action"]: form})
        return self.render_to_response(context, status=400)

    def apply(self, data):
        ticket, user, request = self.object, self.request.user, self.request
        action = data["action"]
        if action == "reply":
            status, seen = data["status"] or None, data["seen"]
            if data["kind"] == INTERNAL:
                add_internal_note(user, ticket, data["body"], status=status, seen=seen)
                messages.success(request, _("Your internal note was saved. It is not sent to the customer."))
            else:
                reply_to_ticket(user, ticket, data["body"], status=status, seen=seen)
                messages.success(
                    request,
                    _("Your reply was saved and will be emailed to the customer. Status: “%(status)s”.")
                    % {"status": ticket.get_status_display()},
                )
        elif action == "status":
            change_status(user, ticket, data["status"])
            messages.success(request, _("Status changed to “%(status)s”.") % {"status": ticket.get_status_display()})
        elif action == "assign":
            assign_ticket(user, ticket, data["assignee"])
            if ticket.assignee_id:
                messages.success(request, _("Assigned to %(name)s.") % {"name": agent_name(ticket.assignee)})
            else:
                messages.success(request, _("The ticket is unassigned."))
        elif action == "priority":
            set_priority(user, ticket, data["priority"])
            messages.success(
                request, _("Priority changed to “%(priority)s”.") % {"priority": ticket.get_priority_display()}
            )
        elif action == "resolve":
            resolve_ticket(user, ticket, data["article"])
            messages.success(request, _("Resolved with “%(title)s”.") % {"title": data["article"].title})
        else:
            article = draft_article_from_ticket(user, ticket)
            messages.success(request, _("A draft article was created from this ticket."))
            return redirect("wagtailadmin_pages:edit", article.pk)
        return redirect(self.request.path)


class InspectOnlyViewSet(ModelViewSet):
    """A list and a page per object, nothing else: the objects come from the site, never the admin
    (tickets from the contact form, follow-ups from survey answers), and every change to one is
    an action on its page."""

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<str:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def url_finder_class(self):
        # There is no edit page: the audit log (site history) links an object to its page.
        return type("_InspectURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage pages: the views must not link to them.
        absent = {f"{name}_url_name": None for name in ["add", "edit", "delete", "history", "usage"]}
        return super().get_common_view_kwargs(**absent | kwargs)


class TicketViewSet(InspectOnlyViewSet):
    model = Ticket
    icon = "mail"
    menu_label = gettext_lazy("Inbox")
    menu_name = "support-inbox"
    menu_order = 100
    menu_hook = SUPPORT_MENU_HOOK
    index_view_class = TicketIndexView
    inspect_view_class = TicketView
    filterset_class = TicketFilterSet
    search_fields = ["reference", "subject", "requester_email"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    list_display = [
        "reference",
        "subject",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
        Column("priority", label=gettext_lazy("Priority"), accessor="get_priority_display"),
        Column("assignee", label=gettext_lazy("Assignee"), accessor=lambda ticket: agent_name(ticket.assignee) or "—"),
        Column("requester_email", label=gettext_lazy("Requester")),
        DateColumn("updated_at", label=gettext_lazy("Last activity"), sort_key="updated_at"),
        DateColumn("created_at", label=gettext_lazy("Opened"), sort_key="created_at"),
    ]
