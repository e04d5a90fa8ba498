"""Wagtail hooks: referrals — the "How customers heard of us" report in the "Customer voice" menu."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from customer_voice.menu import VOICE_MENU_HOOK
from customer_voice.reports_referrals import REPORT_PERMISSION, ReferralReportView


@hooks.register("register_admin_urls")
def register_referral_report_urls():
    urlpatterns = [
        path("", ReferralReportView.as_view(), name="report"),
        path("results/", ReferralReportView.as_view(results_only=True), name="report_results"),
    ]
    return [path("customer-voice/referrals/", include((urlpatterns, "customer_voice_referrals")))]


class ReferralReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register(VOICE_MENU_HOOK)
def register_referral_report_menu_item():
    return ReferralReportMenuItem(
        _("How customers heard of us"),
        reverse("customer_voice_referrals:report"),
        name="customer-voice-referrals",
        icon_name="group",
        order=300,
    )


@hooks.register("register_permissions")
def register_referral_permissions():
    """Lets administrators grant the report to more groups in Settings › Groups."""
    return Permission.objects.filter(content_type__app_label="customer_voice", codename="view_referral")
