"""The consent in the Wagtail admin: the ledger report (every grant, scope change, request for
changes, expiry and withdrawal, with CSV/XLSX export), and the guards that refuse to publish a
story without its customer's consent to exactly that revision, whether by the Publish button, the
listing's bulk publish or a copy made live (registered in stories.wagtail_hooks).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from sitewide.exports import spreadsheet_safe
from stories.models import ConsentEvent, StoryPage
from stories.services import consent as services


def can_see_ledger(user) -> bool:
    """Whoever may publish pages may read the consent ledger."""
    return PagePermissionPolicy().user_has_permission(user, "publish")


def _scope_text(event) -> str:
    scope = event.scope or {}
    shown = [label for key, label in [("name", _("name")), ("logo", _("logo")), ("figures", _("figures")),
                                      ("photos", _("photos"))] if scope.get(key)]  # fmt: skip
    if scope.get("quotes"):
        shown.append(_("%(count)d quotes") % {"count": len(scope["quotes"])})
    if scope.get("expires_on"):
        shown.append(_("until %(date)s") % {"date": scope["expires_on"]})
    return ", ".join(shown) or "–"


class ConsentEventFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=gettext_lazy("Event"), choices=ConsentEvent.Kind.choices)

    class Meta:
        model = ConsentEvent
        fields = []


class ConsentLedgerView(ReportView):
    """The append-only consent ledger, newest first."""

    model = ConsentEvent
    page_title = gettext_lazy("Consent ledger")
    header_icon = "history"
    index_url_name = "stories_consent_ledger:index"
    index_results_url_name = "stories_consent_ledger:index_results"
    export_filename = "story-consent-ledger"
    filterset_class = ConsentEventFilterSet
    paginate_by = 100
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("story", label=gettext_lazy("Story"), accessor="story.title"),
        Column("customer", label=gettext_lazy("Customer"), accessor="customer.name"),
        Column("kind", label=gettext_lazy("Event"), accessor="get_kind_display"),
        Column("revision", label=gettext_lazy("Revision"), accessor="revision_id"),
        Column("by", label=gettext_lazy("By"), accessor=lambda e: e.by_name or e.by_email or "–"),
        Column("scope", label=gettext_lazy("Scope"), accessor=_scope_text),
        Column("comment", label=gettext_lazy("Comment"), accessor="comment"),
    ]
    list_export = ["at", "story", "customer", "kind", "revision", "by_name", "by_email", "scope", "comment"]
    export_headings = {
        "at": gettext_lazy("When"),
        "story": gettext_lazy("Story"),
        "customer": gettext_lazy("Customer"),
        "kind": gettext_lazy("Event"),
        "revision": gettext_lazy("Revision"),
        "by_name": gettext_lazy("By"),
        "by_email": gettext_lazy("By (email)"),
        "scope": gettext_lazy("Scope"),
        "comment": gettext_lazy("Comment"),
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe}
        for field in ["story", "customer", "by_name", "by_email", "scope", "comment"]
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_see_ledger(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return ConsentEvent.objects.select_related("story", "customer").order_by("-at", "-pk")

    def to_row_dict(self, item):
        return {
            "at": item.at,
            "story": item.story.title,
            "customer": item.customer.name,
            "kind": item.get_kind_display(),
            "revision": item.revision_id or "",
            "by_name": item.by_name,
            "by_email": item.by_email,
            "scope": _scope_text(item),
            "comment": item.comment,
        }


class LedgerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_ledger(request.user)


class ConsentLedgerViewSet(ViewSet):
    icon = "history"
    menu_label = gettext_lazy("Story consent ledger")
    menu_order = 320
    add_to_admin_menu = True
    name = "stories_consent_ledger"
    url_prefix = "stories/consent-ledger"

    @property
    def menu_item_class(self):
        return LedgerMenuItem

    def get_urlpatterns(self):
        return [
            path("", ConsentLedgerView.as_view(), name="index"),
            path("results/", ConsentLedgerView.as_view(results_only=True), name="index_results"),
        ]


consent_ledger_viewset = ConsentLedgerViewSet()

REFUSAL = gettext_lazy(
    "A customer story is published only with its customer's approval of exactly this version: "
    "submit it to the “Story approval” workflow."
)


def refuse_unapproved_publish(request, page):
    """``before_publish_page``: a story goes live only as the revision its customer approved."""
    if isinstance(page.specific_deferred, StoryPage) and not services.covers(page, page.latest_revision):
        messages.error(request, str(REFUSAL))
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


def refuse_unapproved_bulk_publish(request, action_type, objects, action_class_instance):
    """``before_bulk_action``: the same for the page listing's bulk publish, including the draft
    stories beneath a page published "with its subpages"."""
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    with_descendants = bool(form is not None and form.cleaned_data.get("include_descendants"))
    for story in _stories_published_by(objects, with_descendants):
        if not services.covers(story, story.latest_revision):
            messages.error(request, str(REFUSAL))
            return redirect(request.META.get("HTTP_REFERER") or reverse("wagtailadmin_explore_root"))
    return None


def _stories_published_by(objects, with_descendants: bool):
    for page in objects:
        if isinstance(page, StoryPage) or getattr(page, "specific_class", None) is StoryPage:
            yield page
        if with_descendants:
            yield from page.get_descendants().not_live().type(StoryPage).select_related("latest_revision")


COPY_REFUSAL = gettext_lazy(
    "A copy of a customer story starts as a draft: its customer has not approved it. "
    "Untick “Publish copied page” (and do not make an alias), then submit the copy to the “Story approval” workflow."
)


def refuse_live_story_copies(request, page):
    """``before_copy_page``: a copy (or an alias) of a story is a new page its customer never approved,
    so it may be made only as a draft; this covers a story index copied with its stories, too."""
    if request.method != "POST":
        return None
    wants_live = request.POST.get("publish_copies") or request.POST.get("alias")
    if not wants_live:
        return None
    copies_a_story = isinstance(page.specific_deferred, StoryPage) or (
        request.POST.get("copy_subpages") and page.get_descendants().type(StoryPage).exists()
    )
    if copies_a_story:
        messages.error(request, str(COPY_REFUSAL))
        return redirect(reverse("wagtailadmin_pages:copy", args=[page.pk]))
    return None
