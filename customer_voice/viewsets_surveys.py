"""Survey runs in the admin: a read-only listing with how many were asked and answered.

A ReportView (listing, pagination, CSV/XLSX export) over SurveyRun with its counts annotated:
one query per page, whatever the number of runs. Runs are made by ``manage.py send_nps_survey``
(or the council's own runs), never edited here. Runs to an audience the viewer may not see (the
council's, for anyone but council managers) are not listed (customer_voice.services.audiences).
"""

from django.db.models import Case, Count, F, FloatField, Q, When
from django.db.models.functions import Cast
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from customer_voice.models import SurveyRun
from customer_voice.services.audiences import hidden_audiences
from sitewide.exports import percentage, spreadsheet_safe


def _moment(value) -> str:
    return date_format(value, "DATETIME_FORMAT") if value else "–"


def _rate_number(value):
    return "" if value is None else round(value, 4)


class SurveyRunReportView(ReportView):
    model = SurveyRun
    permission_policy = ModelPermissionPolicy(SurveyRun)
    permission_required = "view"
    page_title = _("Survey runs")
    header_icon = "list-ul"
    index_url_name = "voice_survey_runs:index"
    index_results_url_name = "voice_survey_runs:index_results"
    export_filename = "survey-runs"
    paginate_by = 50
    columns = [
        Column("name", label=_("Name")),
        Column("audience", label=_("Audience"), accessor="get_audience_display"),
        Column("created_at", label=_("Created at"), accessor=lambda run: _moment(run.created_at)),
        Column("sent_at", label=_("Sent at"), accessor=lambda run: _moment(run.sent_at)),
        Column("invited", label=_("Invited")),
        Column("answered", label=_("Answered")),
        Column("response_rate", label=_("Response rate"), accessor=lambda run: percentage(run.response_rate)),
    ]
    list_export = ["name", "audience", "created_at", "sent_at", "invited", "answered", "response_rate"]
    export_headings = {
        "name": _("Name"),
        "audience": _("Audience"),
        "created_at": _("Created at"),
        "sent_at": _("Sent at"),
        "invited": _("Invited"),
        "answered": _("Answered"),
        "response_rate": _("Response rate"),
    }
    custom_field_preprocess = {
        "name": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
        "response_rate": {ReportView.FORMAT_CSV: _rate_number, ReportView.FORMAT_XLSX: _rate_number},
    }

    def get_queryset(self):
        return (
            SurveyRun.objects.exclude(audience__in=hidden_audiences(self.request.user))
            .annotate(
                invited=Count("invitations"),
                answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
            )
            .annotate(
                response_rate=Case(
                    When(invited=0, then=None),
                    default=Cast(F("answered"), FloatField()) / Cast(F("invited"), FloatField()),
                    output_field=FloatField(),
                )
            )
            .order_by("-created_at", "-pk")
        )
