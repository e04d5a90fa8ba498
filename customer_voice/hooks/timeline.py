"""Wagtail hooks: the customer timeline's admin pages (customer_voice.views.timeline), under
/admin/customers/ in the namespace "customer_voice_timeline", and its Support menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from customer_voice.services.followup_actions import can_view_follow_ups
from customer_voice.views.timeline import CustomersView, CustomerTimelineView
from support.viewsets import SUPPORT_MENU_HOOK


@hooks.register("register_admin_urls")
def register_timeline_urls():
    urlpatterns = [
        path("", CustomersView.as_view(), name="customers"),
        path("<int:user_id>/", CustomerTimelineView.as_view(), name="customer"),
    ]
    return [path("customers/", include((urlpatterns, "customer_voice_timeline")))]


class CustomersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_follow_ups(request.user) or request.user.is_superuser


@hooks.register(SUPPORT_MENU_HOOK)
def register_customers_menu_item():
    # After the inbox (100) and the detractor follow-ups (150), before the reports (200+).
    return CustomersMenuItem(
        _("Customers"),
        reverse("customer_voice_timeline:customers"),
        name="support-customers",
        icon_name="user",
        order=160,
    )
