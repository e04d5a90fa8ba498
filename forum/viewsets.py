from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet

from forum.models import Category


class CategoryViewSet(SnippetViewSet):
    """Staff create, order and restrict forum categories in the Wagtail admin."""

    model = Category
    icon = "group"
    menu_label = _("Forum categories")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "position", "language"]
    search_fields = ["name", "description"]
    ordering = ["position", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("position"),
        FieldPanel("language"),
        FieldPanel("restricted_to", widget=forms.CheckboxSelectMultiple),
    ]
