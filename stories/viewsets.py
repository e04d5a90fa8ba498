from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from stories.models import Customer
from stories.viewsets_submissions import StartStoryForCustomerMixin


class CustomerViewSet(StartStoryForCustomerMixin, SnippetViewSet):
    model = Customer
    icon = "group"
    menu_label = _("Customers")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "industry", "company_size", "region"]
    list_filter = ["industry", "company_size", "region"]
    search_fields = ["name"]
