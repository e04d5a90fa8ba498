"""The council's roadmap in the Wagtail admin, for council managers: the list (embargo, stage,
published), the create and edit forms, and the actions publish, unpublish and mark as shipped.

Every save and action goes through customer_council.services.roadmap (its refusals show on the
form, and nothing is saved). No delete page: an item members have seen stays in their history;
unpublish takes it off "What's new". Only managers get in (CouncilManagersPolicy, and each action
view checks :func:`~customer_council.access.is_manager` itself).
"""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput

from customer_council.forms_ideas import TextField
from customer_council.models import ProductArea, RoadmapItem
from customer_council.services import roadmap as services
from customer_council.services.ideas import MAX_NOTE
from customer_council.viewsets.actions import ManagerActionView
from customer_council.viewsets.membership import RefusalsAsFormErrors
from sitewide.ids import parse_id

#: The most idea numbers the form reads (the service refuses more than it allows).
MAX_IDEA_NUMBERS_LENGTH = 2000


class RoadmapItemForm(forms.ModelForm):
    """What a manager writes for members; the service cleans and saves it."""

    title = TextField(label=gettext_lazy("Title"), max_length=services.MAX_TITLE * 2)
    summary = TextField(
        label=gettext_lazy("Summary for members"),
        multiline=True,
        rows=8,
        required=False,
        max_length=services.MAX_SUMMARY * 2,
        help_text=gettext_lazy("Markdown works. Members see it, marked confidential until the embargo."),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        choices=[(stage.value, stage.label) for stage in services.EDITABLE_STAGES],
        help_text=gettext_lazy("An item ships with the “Mark as shipped” action, which tells the ideas' voters."),
    )
    idea_numbers = forms.CharField(
        label=gettext_lazy("Ideas it answers"),
        required=False,
        max_length=MAX_IDEA_NUMBERS_LENGTH,
        help_text=gettext_lazy("The ideas' numbers, separated by commas (e.g. 12, 40)."),
    )

    class Meta:
        model = RoadmapItem
        fields = ["title", "summary", "product_area", "stage", "embargo_until"]
        widgets = {"embargo_until": AdminDateTimeInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_area"].queryset = ProductArea.objects.all()
        if self.instance.pk:
            self.fields["idea_numbers"].initial = ", ".join(
                str(pk) for pk in self.instance.ideas.order_by("pk").values_list("pk", flat=True)
            )
            if self.instance.stage == RoadmapItem.Stage.SHIPPED:
                del self.fields["stage"]

    def clean_idea_numbers(self):
        numbers = []
        for part in self.cleaned_data["idea_numbers"].replace(";", ",").split(","):
            if not part.strip():
                continue
            number = parse_id(part.strip().lstrip("#"))
            if number is None:
                raise forms.ValidationError(_("“%(value)s” is not an idea number.") % {"value": part.strip()[:20]})
            numbers.append(number)
        return numbers

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "embargo_until": data["embargo_until"],
            "product_area": data["product_area"],
            "stage": data.get("stage"),
            "ideas": data["idea_numbers"],
        }


class RoadmapItemCreateView(RefusalsAsFormErrors, CreateView):
    def save_instance(self):
        fields = self.form.service_fields()
        return services.create_item(self.request.user, fields.pop("title"), fields.pop("summary"), **fields)


class RoadmapItemEditView(RefusalsAsFormErrors, EditView):
    def save_instance(self):
        return services.update_item(self.object, self.request.user, **self.form.service_fields())


class RoadmapItemIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("product_area")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        names = [("publish", _("Publish on What's new"), "globe")]
        if instance.published_at:
            names = [("publish", _("Edit the public entry"), "globe"), ("unpublish", _("Unpublish"), "cross")]
        if instance.stage != RoadmapItem.Stage.SHIPPED:
            names.append(("ship", _("Mark as shipped"), "success"))
        for priority, (name, label, icon) in enumerate(names, start=40):
            url = reverse(f"council_roadmap:{name}", args=[instance.pk])
            buttons.append(ListingMenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons


class PublishForm(forms.Form):
    public_title = TextField(label=gettext_lazy("Public title"), max_length=services.MAX_PUBLIC_TITLE * 2)
    public_summary = TextField(
        label=gettext_lazy("Public summary"),
        multiline=True,
        rows=8,
        required=False,
        max_length=services.MAX_PUBLIC_SUMMARY * 2,
        help_text=gettext_lazy("Markdown works. Anyone can read it: write it for the public, not the council."),
    )


class UnpublishForm(forms.Form):
    pass


class ShipForm(forms.Form):
    note = TextField(
        label=gettext_lazy("Note to the ideas' voters"),
        multiline=True,
        rows=4,
        required=False,
        max_length=MAX_NOTE * 2,
        help_text=gettext_lazy("Optional; Markdown works. The note already names this item."),
    )


class RoadmapItemActionView(ManagerActionView):
    """Confirm one action on one item (publish, unpublish, mark as shipped)."""

    header_icon = "calendar"
    queryset = RoadmapItem.objects.all()
    actions = {
        "publish": (PublishForm, gettext_lazy("Publish on What's new"), gettext_lazy("Publish")),
        "unpublish": (UnpublishForm, gettext_lazy("Take off What's new"), gettext_lazy("Unpublish")),
        "ship": (ShipForm, gettext_lazy("Mark as shipped"), gettext_lazy("Mark as shipped")),
    }
    success_url_name = "council_roadmap:index"

    def get_initial(self):
        if self.action == "publish":
            # The public wording is never copied from the members' preview: only what was published before.
            return {"public_title": self.object.public_title, "public_summary": self.object.public_summary}
        return {}

    def perform(self, form) -> str:
        user, item = self.request.user, self.object
        if self.action == "publish":
            data = form.cleaned_data
            item = services.publish(item, data["public_title"], data["public_summary"], by=user)
            return _("“%(title)s” is on What's new.") % {"title": item.public_title}
        if self.action == "unpublish":
            services.unpublish(item, by=user)
            return _("“%(title)s” is off What's new.") % {"title": item}
        services.mark_shipped(item, by=user, note=form.cleaned_data["note"])
        return _("“%(title)s” shipped; the ideas' voters are told.") % {"title": item}


class RoadmapItemViewSet(ModelViewSet):
    model = RoadmapItem
    icon = "calendar"
    menu_label = gettext_lazy("Roadmap")
    menu_order = 60
    add_to_admin_menu = False
    index_view_class = RoadmapItemIndexView
    add_view_class = RoadmapItemCreateView
    edit_view_class = RoadmapItemEditView
    form_fields = RoadmapItemForm.Meta.fields
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title", "public_title"]
    ordering = ["embargo_until", "pk"]
    list_per_page = 50
    list_filter = ["stage", "product_area"]
    list_display = [
        "title",
        Column("stage", label=gettext_lazy("Stage"), accessor="get_stage_display", sort_key="stage"),
        DateColumn("embargo_until", label=gettext_lazy("Confidential until"), sort_key="embargo_until"),
        DateColumn("published_at", label=gettext_lazy("Published"), sort_key="published_at"),
        DateColumn("shipped_at", label=gettext_lazy("Shipped"), sort_key="shipped_at"),
        "product_area",
    ]

    def get_form_class(self, for_update=False):
        return RoadmapItemForm

    def get_urlpatterns(self):
        # No delete page (see the module's docstring).
        patterns = [p for p in super().get_urlpatterns() if getattr(p, "name", "") not in {"delete"}]
        for action in RoadmapItemActionView.actions:
            patterns.append(path(f"{action}/<int:pk>/", RoadmapItemActionView.as_view(action=action), name=action))
        return patterns

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None} | kwargs)


#: Added to the "Council" menu (customer_council.viewsets.CouncilViewSetGroup).
ADMIN_VIEWSETS = [RoadmapItemViewSet("council_roadmap", url_prefix="council/roadmap")]
#: Models whose admin permissions follow CouncilManagersPolicy (customer_council.wagtail_hooks).
POLICY_MODELS = [RoadmapItem]
