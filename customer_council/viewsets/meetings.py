"""The council's meetings in the Wagtail admin: one form for a meeting with its agenda,
pre-reads and action items (inline panels), the minutes as rich text, and three actions on a
meeting: send the invitations, publish the minutes, cancel. Saving and every action go through
customer_council.services.meetings (the description rendered, the iCalendar sequence bumped,
who may do it checked).

A pre-read must be a document of the private "Council documents" collection: Wagtail's document
chooser offers every collection, so the form refuses any other document.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from customer_council.access import MANAGERS_GROUP
from customer_council.documents import council_documents
from customer_council.models import ActionItem, Meeting, Membership
from customer_council.services import meetings as services
from customer_council.viewsets.actions import ManagerActionView
from sitewide.errors import ActionRefused


def possible_owners():
    """Who may own an action item: members with an active seat, and the council managers."""
    return (
        get_user_model()
        .objects.filter(
            Q(council_memberships__state=Membership.State.ACTIVE) | Q(groups__name=MANAGERS_GROUP), is_active=True
        )
        .distinct()
        .order_by("display_name", "email")
    )


class MeetingForm(WagtailAdminModelForm):
    """The meeting with its children; refuses pre-reads outside the council's collection."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("action_items")
        if formset is not None:
            for form in [*formset.forms, formset.empty_form]:
                if "owner" in form.fields:
                    form.fields["owner"].queryset = possible_owners()

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("pre_reads")
        if formset is None:
            return cleaned
        allowed = council_documents()
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            document = form.cleaned_data.get("document")
            if document is not None and not allowed.filter(pk=document.pk).exists():
                form.add_error(
                    "document",
                    _("Only documents of the “Council documents” collection can be pre-reads: move it there first."),
                )
                self.add_error(None, _("A pre-read is not in the “Council documents” collection."))
        return cleaned


class RefusalsAsFormErrors:
    """A service's refusal shows on the form, and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            self.produced_error_message = refusal.message
            return self.form_invalid(form)


class MeetingCreateView(RefusalsAsFormErrors, CreateView):
    def save_instance(self):
        meeting = services.save_from_admin(self.form, self.request.user, creating=True)
        log(meeting, "wagtail.create", user=self.request.user)
        return meeting


class MeetingEditView(RefusalsAsFormErrors, EditView):
    def save_instance(self):
        meeting = services.save_from_admin(self.form, self.request.user, creating=False)
        log(meeting, "wagtail.edit", user=self.request.user)
        return meeting


class MeetingIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (name, (_form, label, _button)) in enumerate(MeetingActionView.actions.items(), start=40):
            url = reverse(f"council_meetings:{name}", args=[instance.pk])
            buttons.append(ListingMenuItem(label, url=url, icon_name="arrow-right", priority=priority))
        return buttons


class InviteForm(forms.Form):
    include_managers = forms.BooleanField(
        label=gettext_lazy("Invite the council managers too"), required=False, initial=False
    )


class ConfirmForm(forms.Form):
    pass


class MeetingActionView(ManagerActionView):
    """Confirm one action on one meeting (send the invitations, publish the minutes, cancel)."""

    header_icon = "date"
    queryset = Meeting.objects.all()
    actions = {
        "invite": (InviteForm, gettext_lazy("Send the invitations"), gettext_lazy("Send")),
        "publish-minutes": (ConfirmForm, gettext_lazy("Publish the minutes"), gettext_lazy("Publish")),
        "cancel": (ConfirmForm, gettext_lazy("Cancel the meeting"), gettext_lazy("Cancel the meeting")),
    }
    success_url_name = "council_meetings:index"

    def perform(self, form) -> str:
        user, meeting = self.request.user, self.object
        if self.action == "invite":
            sent = services.send_invitations(meeting, by=user, include_managers=form.cleaned_data["include_managers"])
            return _("Invitations sent: %(count)s.") % {"count": len(sent)}
        if self.action == "publish-minutes":
            services.publish_minutes(meeting, by=user)
            return _("The minutes of %(meeting)s are published.") % {"meeting": meeting}
        told = services.cancel(meeting, by=user)
        return _("%(meeting)s is cancelled; %(count)s invitee(s) told.") % {"meeting": meeting, "count": len(told)}


class MeetingViewSet(ModelViewSet):
    model = Meeting
    icon = "date"
    menu_label = gettext_lazy("Meetings")
    menu_order = 70
    add_to_admin_menu = False
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title", "location"]
    ordering = ["-starts_at"]
    list_per_page = 50
    list_display = [
        "title",
        DateColumn("starts_at", label=gettext_lazy("Starts at"), sort_key="starts_at"),
        Column("cohort", label=gettext_lazy("Cohort"), accessor=lambda m: m.cohort or _("Whole council")),
        DateColumn("invitations_sent_at", label=gettext_lazy("Invitations sent")),
        DateColumn("minutes_published_at", label=gettext_lazy("Minutes published")),
        DateColumn("cancelled_at", label=gettext_lazy("Cancelled")),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("cohort"),
                    FieldPanel("starts_at"),
                    FieldPanel("duration_minutes"),
                    FieldPanel("location"),
                    FieldPanel("description"),
                ],
                heading=gettext_lazy("Meeting"),
            ),
            InlinePanel(
                "agenda_items",
                heading=gettext_lazy("Agenda"),
                label=gettext_lazy("Agenda item"),
                panels=[FieldPanel("title"), FieldPanel("duration_minutes"), FieldPanel("idea"), FieldPanel("notes")],
            ),
            InlinePanel(
                "pre_reads",
                heading=gettext_lazy("Pre-reads (documents of the “Council documents” collection)"),
                label=gettext_lazy("Pre-read"),
                panels=[FieldPanel("document")],
            ),
            FieldPanel("minutes"),
            InlinePanel(
                "action_items",
                heading=gettext_lazy("Action items"),
                label=gettext_lazy("Action item"),
                panels=[FieldPanel("title"), FieldPanel("owner"), FieldPanel("due_on"), FieldPanel("status")],
            ),
        ],
        base_form_class=MeetingForm,
    )

    def get_queryset(self, request):
        return Meeting.objects.select_related("cohort")

    def get_urlpatterns(self):
        patterns = list(super().get_urlpatterns())
        for action in MeetingActionView.actions:
            patterns.append(path(f"{action}/<int:pk>/", MeetingActionView.as_view(action=action), name=action))
        return patterns


#: Added to the "Council" menu (customer_council.viewsets.CouncilViewSetGroup).
ADMIN_VIEWSETS = [MeetingViewSet("council_meetings", url_prefix="council/meetings")]
#: Models whose admin permissions follow CouncilManagersPolicy (customer_council.wagtail_hooks).
POLICY_MODELS = [Meeting, ActionItem]
