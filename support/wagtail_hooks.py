"""Support in the Wagtail admin: the "Support" menu (inbox and reports) and the dashboard panel.

Defined in support.viewsets, support.reports and support.panels; registered here.
"""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from support.actions import audit
from support.panels import SupportPanel
from support.reports import REPORTS
from support.viewsets import SUPPORT_MENU_HOOK, TicketViewSet

#: Opens the reports and the dashboard panel (given to Support agents by support's migrations).
REPORT_PERMISSION = "support.view_event"


@hooks.register("register_log_actions")
def register_ticket_log_actions(actions):
    audit.register(actions)


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


@hooks.register("construct_homepage_panels")
def add_support_panel(request, panels):
    if request.user.has_perm(REPORT_PERMISSION):
        panels.append(SupportPanel())


@hooks.register("register_permissions")
def register_support_permissions():
    """Lets administrators grant the reports to more groups in Settings › Groups (the inbox's
    ticket permissions are registered by its viewset)."""
    return Permission.objects.filter(content_type__app_label="support", codename="view_event")
