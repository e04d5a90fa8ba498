"""Memberships in the Wagtail admin: cohorts, memberships (invite, renew, revoke, edit), the
agreements (snippets with drafts and revisions), and the membership changes report with CSV/XLSX
export. Every change goes through customer_council.services.membership, so each one writes its
audit row.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.snippets.views.snippets import SnippetViewSet

from customer_council.access import is_manager
from customer_council.models import Agreement, Cohort, Membership, MembershipEvent
from customer_council.services import membership as services
from customer_council.viewsets.actions import ManagerActionView
from sitewide.errors import ActionRefused
from sitewide.exports import spreadsheet_safe

# --- Cohorts -------------------------------------------------------------------------------


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = gettext_lazy("Cohorts")
    menu_order = 10
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    ordering = ["-starts_on", "name"]


# --- Memberships ---------------------------------------------------------------------------

LANGUAGE_CHOICES = settings.LANGUAGES


class MembershipFilterSet(WagtailFilterSet):
    cohort = ModelChoiceFilter(label=gettext_lazy("Cohort"), queryset=Cohort.objects.all())
    state = ChoiceFilter(label=gettext_lazy("State"), choices=Membership.State.choices)

    class Meta:
        model = Membership
        fields = []


class InviteForm(forms.Form):
    """Nominate an address and send the invitation (the "add" page of memberships)."""

    cohort = forms.ModelChoiceField(label=gettext_lazy("Cohort"), queryset=Cohort.objects.all())
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    language = forms.ChoiceField(label=gettext_lazy("Language of the invitation"), choices=LANGUAGE_CHOICES)
    term_start = forms.DateField(label=gettext_lazy("Term starts"), widget=AdminDateInput)
    term_end = forms.DateField(label=gettext_lazy("Term ends"), widget=AdminDateInput)
    company = forms.CharField(label=gettext_lazy("Company"), max_length=120, required=False)
    role = forms.CharField(label=gettext_lazy("Role"), max_length=120, required=False)
    region = forms.CharField(label=gettext_lazy("Region"), max_length=120, required=False)
    segment = forms.CharField(label=gettext_lazy("Segment (staff only)"), max_length=60, required=False)
    plan = forms.CharField(label=gettext_lazy("Plan (staff only)"), max_length=60, required=False)
    revenue_band = forms.CharField(label=gettext_lazy("Revenue band (staff only)"), max_length=60, required=False)


class MembershipDetailsForm(forms.ModelForm):
    """What a manager edits directly; the state changes only by the actions (invite, renew, revoke)."""

    class Meta:
        model = Membership
        fields = [
            "term_start",
            "term_end",
            "language",
            "company",
            "role",
            "region",
            "show_company",
            "show_role",
            "show_region",
            "segment",
            "plan",
            "revenue_band",
        ]
        widgets = {"term_start": AdminDateInput, "term_end": AdminDateInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RefusalsAsFormErrors:
    """A service's refusal shows on the form, and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            self.produced_error_message = refusal.message
            return self.form_invalid(form)


class InviteView(RefusalsAsFormErrors, CreateView):
    page_title = gettext_lazy("Invite a member")
    success_message = gettext_lazy("Invitation sent to %(object)s.")

    def get_form_class(self):
        return InviteForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("for_user", None)
        return kwargs

    def get_initial(self):
        cohort = Cohort.objects.filter(ends_on__gte=timezone.localdate()).order_by("starts_on").first()
        initial = {"language": settings.LANGUAGE_CODE}
        if cohort is not None:
            initial |= {"cohort": cohort, "term_start": cohort.starts_on, "term_end": cohort.ends_on}
        return initial

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        membership = services.nominate(
            data.pop("cohort"),
            data.pop("email"),
            data.pop("language"),
            data.pop("term_start"),
            data.pop("term_end"),
            by=self.request.user,
            **data,
        )
        services.invite(membership, by=self.request.user)
        return membership

    def get_success_buttons(self):
        return []


class MembershipEditView(RefusalsAsFormErrors, EditView):
    def get_form_class(self):
        return MembershipDetailsForm

    def save_instance(self):
        fields = {name: self.form.cleaned_data[name] for name in MembershipDetailsForm.Meta.fields}
        return services.update_details(self.object, self.request.user, **fields)


class MembershipIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        names = []
        if instance.state in (Membership.State.INVITED, Membership.State.DECLINED):
            names.append(("invite", _("Send the invitation again"), "mail"))
        if instance.state in (Membership.State.ACTIVE, Membership.State.EXPIRED, Membership.State.INVITED):
            names.append(("renew", _("Renew"), "date"))
        if instance.state in (Membership.State.ACTIVE, Membership.State.INVITED, Membership.State.EXPIRED):
            names.append(("revoke", _("Revoke"), "cross"))
        for priority, (name, label, icon) in enumerate(names, start=40):
            url = reverse(f"council_memberships:{name}", args=[instance.pk])
            buttons.append(ListingMenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons


class RenewForm(forms.Form):
    term_end = forms.DateField(label=gettext_lazy("New end of the term"), widget=AdminDateInput)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the audit log, not shown to the member)"),
        max_length=services.MAX_REASON_LENGTH,
        required=False,
    )


class ResendForm(forms.Form):
    pass


class MembershipActionView(ManagerActionView):
    """Confirm one action on one membership (renew, revoke, send the invitation again)."""

    header_icon = "group"
    queryset = Membership.objects.select_related("cohort")
    actions = {
        "renew": (RenewForm, gettext_lazy("Renew membership"), gettext_lazy("Renew")),
        "revoke": (RevokeForm, gettext_lazy("Revoke membership"), gettext_lazy("Revoke now")),
        "invite": (ResendForm, gettext_lazy("Send the invitation again"), gettext_lazy("Send")),
    }
    success_url_name = "council_memberships:index"

    def get_initial(self):
        if self.action == "renew":
            return {"term_end": self.object.term_end.replace(year=self.object.term_end.year + 1)}
        return {}

    def perform(self, form) -> str:
        user, membership = self.request.user, self.object
        if self.action == "renew":
            services.renew(membership, form.cleaned_data["term_end"], by=user)
            return _("Membership of %(who)s renewed.") % {"who": membership}
        if self.action == "revoke":
            services.revoke(membership, by=user, reason=form.cleaned_data["reason"])
            return _("Membership of %(who)s revoked.") % {"who": membership}
        services.invite(membership, by=user)
        return _("Invitation sent to %(who)s.") % {"who": membership}


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = gettext_lazy("Memberships")
    menu_order = 20
    add_to_admin_menu = False
    index_view_class = MembershipIndexView
    add_view_class = InviteView
    edit_view_class = MembershipEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = MembershipFilterSet
    search_fields = ["email", "company", "user__display_name"]
    ordering = ["cohort", "email"]
    list_per_page = 50
    form_fields = MembershipDetailsForm.Meta.fields
    list_display = [
        "email",
        Column("name", label=gettext_lazy("Account"), accessor=lambda m: m.user.public_name if m.user else "–"),
        "cohort",
        Column("state", label=gettext_lazy("State"), accessor="get_state_display", sort_key="state"),
        DateColumn("term_end", label=gettext_lazy("Term ends"), sort_key="term_end"),
        "segment",
        "plan",
        "revenue_band",
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("cohort", "user")

    def get_urlpatterns(self):
        # No delete page: a membership's history is the audit trail; revoke ends a seat instead.
        patterns = [p for p in super().get_urlpatterns() if getattr(p, "name", "") not in {"delete"}]
        for action in MembershipActionView.actions:
            patterns.append(path(f"{action}/<int:pk>/", MembershipActionView.as_view(action=action), name=action))
        return patterns

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None} | kwargs)


# --- Agreements ----------------------------------------------------------------------------


class AgreementViewSet(SnippetViewSet):
    """The charter and confidentiality agreement: drafts, revisions, publishing, translations."""

    model = Agreement
    icon = "doc-full"
    menu_label = gettext_lazy("Agreements")
    menu_order = 30
    list_display = ["title", "kind", "version", "locale"]
    search_fields = ["title"]


# --- Membership changes report -------------------------------------------------------------


class MembershipEventFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=gettext_lazy("Change"), choices=MembershipEvent.Kind.choices)
    membership__cohort = ModelChoiceFilter(label=gettext_lazy("Cohort"), queryset=Cohort.objects.all())
    at = DateFromToRangeFilter(label=gettext_lazy("When"), widget=DateRangePickerWidget)

    class Meta:
        model = MembershipEvent
        fields = []


def _detail(event) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted((event.detail or {}).items()))


class MembershipEventReportView(ReportView):
    """Every membership change (invite, accept, decline, renew, expire, revoke, agreement accepted)."""

    model = MembershipEvent
    page_title = gettext_lazy("Membership changes")
    header_icon = "history"
    index_url_name = "council_membership_events:index"
    index_results_url_name = "council_membership_events:index_results"
    export_filename = "council-membership-changes"
    filterset_class = MembershipEventFilterSet
    paginate_by = 100
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("email", label=gettext_lazy("Email"), accessor="membership.email"),
        Column("cohort", label=gettext_lazy("Cohort"), accessor="membership.cohort"),
        Column("kind", label=gettext_lazy("Change"), accessor="get_kind_display"),
        Column("actor", label=gettext_lazy("By"), accessor=lambda e: e.actor.public_name if e.actor else "–"),
        Column("detail", label=gettext_lazy("Details"), accessor=_detail),
    ]
    list_export = ["at", "membership.email", "membership.cohort.name", "kind", "actor_name", "detail"]
    export_headings = {
        "at": gettext_lazy("When"),
        "membership.email": gettext_lazy("Email"),
        "membership.cohort.name": gettext_lazy("Cohort"),
        "kind": gettext_lazy("Change"),
        "actor_name": gettext_lazy("By"),
        "detail": gettext_lazy("Details"),
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe}
        for field in ["membership.email", "membership.cohort.name", "actor_name", "detail"]
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return MembershipEvent.objects.select_related("membership", "membership__cohort", "actor").order_by(
            "-at", "-pk"
        )

    def to_row_dict(self, item):
        return {
            "at": item.at,
            "membership.email": item.membership.email,
            "membership.cohort.name": item.membership.cohort.name,
            "kind": item.get_kind_display(),
            "actor_name": item.actor.public_name if item.actor else "",
            "detail": _detail(item),
        }


class ManagersOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


class MembershipEventReportViewSet(ViewSet):
    """The report as a viewset, so it sits in the "Council" menu beside the others."""

    icon = "history"
    menu_label = gettext_lazy("Membership changes")
    menu_order = 40

    @property
    def menu_item_class(self):
        return ManagersOnlyMenuItem

    def get_urlpatterns(self):
        return [
            path("", MembershipEventReportView.as_view(), name="index"),
            path("results/", MembershipEventReportView.as_view(results_only=True), name="index_results"),
        ]
