"""Support in the Wagtail admin: the "Support" menu (inbox and reports) and the dashboard panel.

Defined in support.viewsets, support.reports and support.panels; registered here.
"""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from support import customer_tickets
from support.actions import audit
from support.feedback_panel import ArticlePageViewSet
from support.feedback_report import FeedbackReportView, can_see_feedback
from support.panels import SupportPanel
from support.reports import REPORTS
from support.response_times_report import ResponseTimesReportView
from support.viewsets import SUPPORT_MENU_HOOK, TicketViewSet

#: Opens the reports and the dashboard panel (given to Support agents by support's migrations).
REPORT_PERMISSION = "support.view_event"


@hooks.register("register_log_actions")
def register_ticket_log_actions(actions):
    audit.register(actions)
    customer_tickets.register_log_actions(actions)


@hooks.register("register_admin_viewset")
def register_ticket_inbox():
    return TicketViewSet("support_tickets", url_prefix="support/tickets")


@hooks.register("register_admin_menu_item")
def register_support_menu():
    # Shown only when at least one of its items is (the inbox, or the reports).
    return SubmenuMenuItem(
        _("Support"), Menu(register_hook_name=SUPPORT_MENU_HOOK), name="support", icon_name="help", order=250
    )


@hooks.register("register_admin_urls")
def register_support_report_urls():
    urlpatterns = []
    for route, name, view, _label, _icon in REPORTS:
        urlpatterns += [
            path(route, view.as_view(), name=name),
            path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    urlpatterns += [
        path("response-times/", ResponseTimesReportView.as_view(), name="response_times"),
        path(
            "response-times/results/",
            ResponseTimesReportView.as_view(results_only=True),
            name="response_times_results",
        ),
        path("feedback/", FeedbackReportView.as_view(), name="feedback"),
        path("feedback/results/", FeedbackReportView.as_view(results_only=True), name="feedback_results"),
    ]
    return [path("support/reports/", include((urlpatterns, "support_reports")))]


class SupportReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class SupportReportsMenuItems:
    """Menu items of the reports, after the inbox (one hook call returns one item)."""

    def __init__(self, index):
        self.index = index

    def __call__(self):
        _route, name, _view, label, icon = REPORTS[self.index]
        return SupportReportMenuItem(
            label, reverse(f"support_reports:{name}"), name=f"support-{name}", icon_name=icon, order=200 + self.index
        )


for index in range(len(REPORTS)):
    hooks.register(SUPPORT_MENU_HOOK, SupportReportsMenuItems(index))


@hooks.register(SUPPORT_MENU_HOOK)
def register_response_times_menu_item():
    """First-response and resolution times (support.response_times_report), after the other reports."""
    return SupportReportMenuItem(
        _("Response times"),
        reverse("support_reports:response_times"),
        name="support-response-times",
        icon_name="time",
        order=200 + len(REPORTS),
    )


class FeedbackReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_feedback(request.user)


@hooks.register(SUPPORT_MENU_HOOK)
def register_feedback_report_menu_item():
    """The "Why it didn't help" report (support.feedback_report): also for editors, who act on it."""
    url = reverse("support_reports:feedback")
    return FeedbackReportMenuItem(_("Why it didn't help"), url, name="support-feedback", icon_name="comment", order=290)


@hooks.register("register_admin_viewset")
def register_article_editor_with_feedback():
    """Articles' page editor with the "Why it didn't help" side panel (support.feedback_panel)."""
    return ArticlePageViewSet()


@hooks.register("construct_homepage_panels")
def add_support_panel(request, panels):
    if request.user.has_perm(REPORT_PERMISSION):
        panels.append(SupportPanel())


@hooks.register("register_permissions")
def register_support_permissions():
    """Lets administrators grant the reports to more groups in Settings › Groups (the inbox's
    ticket permissions are registered by its viewset)."""
    return Permission.objects.filter(content_type__app_label="support", codename__in=["view_event", "view_articlevote"])
