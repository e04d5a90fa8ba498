"""The customer timeline in the Wagtail admin: the customers list (no contact for N days, open
detractor follow-ups) and one customer's touches in order. Staff only: the admin's URLs need
admin access, and these pages "view follow-up" (Support agents) or a superuser."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from customer_voice import timeline
from customer_voice.services.followup_actions import can_view_follow_ups
from sitewide.ids import parse_id
from sitewide.text import clean_line

#: The two lists of the customers page: (key, label).
SILENT, FOLLOW_UP = "silent", "follow-up"
TABS = [(SILENT, _("No contact for a while")), (FOLLOW_UP, _("Open detractor follow-up"))]
CUSTOMERS_PER_PAGE = 50


class StaffOnly:
    """Agents (view follow-up) and superusers; anyone else gets Wagtail's "permission denied"
    (raised inside the admin's URLs, so it answers with its redirect and message)."""

    def dispatch(self, request, *args, **kwargs):
        if not (can_view_follow_ups(request.user) or request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def silent_days(value) -> tuple[int, str]:
    """N of "no contact for N days" from the query string, and an error when it was refused."""
    if value in (None, ""):
        return timeline.DEFAULT_SILENT_DAYS, ""
    days = parse_id(value, maximum=timeline.MAX_SILENT_DAYS)
    if days is None or days < timeline.MIN_SILENT_DAYS:
        error = _("Days must be a whole number from %(low)s to %(high)s; showing %(default)s.") % {
            "low": timeline.MIN_SILENT_DAYS,
            "high": timeline.MAX_SILENT_DAYS,
            "default": timeline.DEFAULT_SILENT_DAYS,
        }
        return timeline.DEFAULT_SILENT_DAYS, str(error)
    return days, ""


class CustomersView(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "customer_voice/admin/customers.html"
    page_title = _("Customers")
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        tab = params.get("tab") if params.get("tab") in dict(TABS) else SILENT
        days, days_error = silent_days(params.get("days"))
        query = clean_line(params.get("q", ""))[: timeline.MAX_QUERY_LENGTH]
        viewer = self.request.user
        if tab == SILENT:
            users = timeline.silent_customers(days, viewer=viewer)
        else:
            users = timeline.customers_with_open_follow_up(viewer)
        page = Paginator(timeline.matching(users, query), CUSTOMERS_PER_PAGE).get_page(params.get("p"))
        context.update(
            tabs=TABS,
            tab=tab,
            days=days,
            days_error=days_error,
            min_days=timeline.MIN_SILENT_DAYS,
            max_days=timeline.MAX_SILENT_DAYS,
            query=query,
            page=page,
            rows=[
                {"user": user, "url": reverse("customer_voice_timeline:customer", args=[user.pk])}
                for user in page.object_list
            ],
        )
        return context

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        # A refused number of days still shows the default list, with the reason, as a 400.
        return self.render_to_response(context, status=400 if context["days_error"] else 200)


class CustomerTimelineView(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "customer_voice/admin/timeline.html"
    page_title = _("Customer timeline")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("customer_voice_timeline:customers"), "label": _("Customers")},
            {"url": "", "label": self.page_title},
        ]

    def get_page_subtitle(self):
        return self.customer.email

    def get(self, request, *args, **kwargs):
        user_id = parse_id(kwargs["user_id"])
        self.customer = timeline.customer_with_contact(user_id, request.user) if user_id else None
        if self.customer is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        built = timeline.build_timeline(self.customer, timeline.DEFAULT_LIMIT, viewer=self.request.user)
        context.update(customer=self.customer, timeline=built)
        return context
