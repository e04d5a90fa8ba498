"""Wagtail hooks: the NPS and survey-comments reports (customer_voice.reports), under
/admin/customer-voice/reports/ and in the "Customer voice" menu."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from customer_voice.menu import VOICE_MENU_HOOK
from customer_voice.reports import REPORT_PERMISSION, REPORTS


@hooks.register("register_admin_urls")
def register_voice_report_urls():
    urlpatterns = []
    for route, name, view, _label, _icon in REPORTS:
        urlpatterns += [
            path(route, view.as_view(), name=name),
            path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return [path("customer-voice/reports/", include((urlpatterns, "customer_voice_reports")))]


class VoiceReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class VoiceReportMenuItems:
    """One menu item per report (one hook call returns one item)."""

    def __init__(self, index):
        self.index = index

    def __call__(self):
        _route, name, _view, label, icon = REPORTS[self.index]
        return VoiceReportMenuItem(
            label,
            reverse(f"customer_voice_reports:{name}"),
            name=f"voice-{name}",
            icon_name=icon,
            order=300 + self.index,
        )


for index in range(len(REPORTS)):
    hooks.register(VOICE_MENU_HOOK, VoiceReportMenuItems(index))
