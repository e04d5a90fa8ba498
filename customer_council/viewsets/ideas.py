"""The feedback board's lists in the Wagtail admin: statuses (each of a fixed kind), product
areas and teams. Managers edit them here; ideas themselves are moderated on the board."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.views.snippets import SnippetViewSet

from customer_council.models import IdeaStatus, ProductArea, Team


class IdeaStatusViewSet(SnippetViewSet):
    model = IdeaStatus
    icon = "tag"
    menu_label = gettext_lazy("Idea statuses")
    menu_order = 50
    list_display = ["name", "kind", "position", "is_default"]
    search_fields = ["name"]
    ordering = ["position", "name"]


class ProductAreaViewSet(SnippetViewSet):
    model = ProductArea
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Product areas")
    menu_order = 51
    list_display = ["name"]
    search_fields = ["name"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = gettext_lazy("Teams")
    menu_order = 52
    list_display = ["name", "email"]
    search_fields = ["name"]


#: Added to the "Council" menu (customer_council.viewsets.CouncilViewSetGroup).
ADMIN_VIEWSETS = [IdeaStatusViewSet(), ProductAreaViewSet(), TeamViewSet()]
#: Models whose admin permissions follow CouncilManagersPolicy (customer_council.wagtail_hooks).
POLICY_MODELS = [IdeaStatus, ProductArea, Team]
