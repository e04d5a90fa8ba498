"""The digests in the Wagtail admin: a read-only list of issues with how their deliveries went.

Issues are made and sent by ``manage.py send_digest`` only; the admin shows them and changes
nothing. Opening the list needs the "view digest" permission (superusers have every permission).
"""

from django.db.models import Count, Q
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from customer_voice.menu import VOICE_MENU_HOOK
from customer_voice.models import DigestDelivery, DigestIssue

State = DigestDelivery.State


def _count(state: str) -> Count:
    return Count("deliveries", filter=Q(deliveries__state=state))


class DigestIssueIndexView(IndexView):
    """Newest period first; the counts are annotations, so a page costs the same few queries."""

    any_permission_required = ["view"]

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                sent=_count(State.SENT),
                skipped=_count(State.SKIPPED),
                failed=_count(State.FAILED),
                waiting=_count(State.PENDING),
                uncertain=_count(State.SENDING),
            )
        )

    def get_edit_url(self, instance):
        return None


class DigestIssueViewSet(ModelViewSet):
    model = DigestIssue
    icon = "mail"
    menu_label = gettext_lazy("Digests")
    menu_name = "voice-digests"
    menu_order = 400
    menu_hook = VOICE_MENU_HOOK
    index_view_class = DigestIssueIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["-starts_at"]
    list_per_page = 50
    list_display = [
        Column("period", label=gettext_lazy("Period")),
        DateColumn("starts_at", label=gettext_lazy("Covers from")),
        DateColumn("ends_at", label=gettext_lazy("Covers until")),
        Column("sent", label=gettext_lazy("Sent")),
        Column("skipped", label=gettext_lazy("Skipped")),
        Column("failed", label=gettext_lazy("Failed")),
        Column("waiting", label=gettext_lazy("Waiting")),
        Column("uncertain", label=gettext_lazy("Interrupted")),
        DateColumn("finished_at", label=gettext_lazy("Finished")),
    ]

    def get_urlpatterns(self):
        # The list only: issues come from the send_digest command and are never edited.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        absent = {f"{name}_url_name": None for name in ["add", "edit", "delete", "history", "usage", "inspect"]}
        return super().get_common_view_kwargs(**absent | kwargs)


digest_issue_viewset = DigestIssueViewSet("voice_digests", url_prefix="customer-voice/digests")
