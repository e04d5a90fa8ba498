"""The "Stories" report in the Wagtail admin (Reports menu): views and what readers did next.

One row per story viewed in the chosen days (the "Date" filter, default the last 30 days): views,
unique visitors, the visitors who then opened the contact form, opened a ticket, started a forum
question or signed up, and those sign-ups by their answer to "How did you hear about us?". The
figures come from stories.measuring (a fixed number of queries, however many stories); listing,
the date filter and CSV/XLSX export come from support's report base (a Wagtail ReportView); the
chart is sitewide's (sitewide.charts, as in support's reports), with its numbers in a table too.

Editors and superusers read it: anyone who may change pages (Wagtail's "change" page permission,
which Editors and Moderators hold); "add" alone (Support agents' drafts) does not open it.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from accounts.models import User
from sitewide import charts
from sitewide.exports import spreadsheet_safe
from stories import measuring
from support.models import Event
from support.reports import SupportReportView

#: How many of the most viewed stories the chart shows.
CHART_STORIES = 10
#: The referral answers, and "" for a sign-up that gave none.
REFERRALS = [*User.ReferralSource.choices, ("", _("No answer"))]


def referral_key(code: str) -> str:
    return f"referral_{code or 'none'}"


def may_read_story_report(user) -> bool:
    """Superusers, and staff who may change pages they did not write (Editors, Moderators)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # The page permissions Wagtail already loaded for this user (its menus read them too).
    permissions = PagePermissionPolicy().get_cached_permissions_for_user(user)
    return any(permission.permission.codename == "change_page" for permission in permissions)


class StoryPeriodFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget, method="keep")

    class Meta:
        model = Event
        fields = []

    def keep(self, queryset, name, value):
        # The filter chooses the period of the figures; it never narrows a queryset itself.
        return queryset


def _story_link(row):
    if not row["story_id"]:
        return gettext("A deleted story")
    return format_html(
        '<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[row["story_id"]]), row["title"] or "—"
    )


def _referrals_text(row) -> str:
    return (
        ", ".join(f"{label}: {row[referral_key(code)]}" for code, label in REFERRALS if row[referral_key(code)]) or "–"
    )


class StoryReportView(SupportReportView):
    page_title = _("Stories")
    header_icon = "openquote"
    filterset_class = StoryPeriodFilterSet
    index_url_name = "story_report:index"
    index_results_url_name = "story_report:results"
    export_filename = "stories"
    default_ordering = "-views"
    chart_title = _("Views of the most viewed stories")
    columns = [
        Column("title", label=_("Story"), accessor=_story_link),
        Column("views", label=_("Views"), sort_key="views"),
        Column("visitors", label=_("Unique visitors"), sort_key="visitors"),
        Column("contact_started", label=_("Opened the contact form"), sort_key="contact_started"),
        Column("ticket_created", label=_("Opened a ticket"), sort_key="ticket_created"),
        Column("forum_started", label=_("Started a forum question"), sort_key="forum_started"),
        Column("signed_up", label=_("Signed up"), sort_key="signed_up"),
        Column("referrals", label=_("How did you hear about us?"), accessor=_referrals_text),
    ]
    list_export = [
        "story_id",
        "title",
        "views",
        "visitors",
        "contact_started",
        "ticket_created",
        "forum_started",
        "signed_up",
        *(referral_key(code) for code, _label in REFERRALS),
    ]
    export_headings = {
        "story_id": _("Page id"),
        "title": _("Story"),
        "views": _("Views"),
        "visitors": _("Unique visitors"),
        "contact_started": _("Opened the contact form"),
        "ticket_created": _("Opened a ticket"),
        "forum_started": _("Started a forum question"),
        "signed_up": _("Signed up"),
        **{referral_key(code): label for code, label in REFERRALS},
    }
    custom_field_preprocess = {
        "title": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
    }

    def user_has_permission(self, permission):
        return may_read_story_report(self.request.user)

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = measuring.story_figures(self.period)
        return self._figures

    def rows(self):
        rows = [
            {
                "story_id": story.story_id,
                "title": story.title,
                "views": story.views,
                "visitors": story.visitors,
                "contact_started": story.contact_started,
                "ticket_created": story.ticket_created,
                "forum_started": story.forum_started,
                "signed_up": story.signed_up,
                **{referral_key(code): story.referrals.get(code, 0) for code, _label in REFERRALS},
            }
            for story in self.figures()
        ]
        ordering = self.ordering or self.default_ordering
        key = ordering.lstrip("-")
        if key not in {column.sort_key for column in self.columns if column.sort_key}:
            key = "views"
        rows.sort(key=lambda row: row["story_id"] or 0)
        rows.sort(key=lambda row: row[key], reverse=ordering.startswith("-"))
        return rows

    def summary(self):
        stories = self.figures()
        sign_ups = measuring.sign_ups_by_referral(self.period)
        summary = [
            (gettext("Stories viewed"), str(len(stories))),
            (gettext("Views"), str(sum(story.views for story in stories))),
            (gettext("Accounts created after reading a story"), str(sum(sign_ups.values()))),
        ]
        summary += [
            (gettext("… who heard about us from: %(answer)s") % {"answer": label}, str(sign_ups[code]))
            for code, label in REFERRALS
            if sign_ups.get(code)
        ]
        return summary

    def chart(self):
        top = sorted(self.figures(), key=lambda story: (-story.views, story.story_id or 0))[:CHART_STORIES]
        if not top:
            return None
        return charts.chart(
            id="story-chart",
            title=str(self.chart_title),
            periods=[story.title for story in top],
            series=[
                charts.Series(
                    gettext("Views"),
                    [story.views for story in top],
                    titles=[
                        gettext("%(story)s: %(views)s views") % {"story": story.title, "views": story.views}
                        for story in top
                    ],
                )
            ],
            x_title=gettext("Story"),
            y_title=gettext("Views"),
            rtl=get_language_bidi(),
        )


class StoryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_story_report(request.user)


class StoryReportViewSet(ViewSet):
    """The report's two URLs (page and filtered results) and its item in the Reports menu."""

    name = "story_report"
    url_prefix = "reports/stories"
    icon = "openquote"
    menu_label = _("Stories")
    menu_name = "story-report"
    menu_hook = "register_reports_menu_item"
    menu_order = 1400
    menu_item_class = StoryReportMenuItem

    @cached_property
    def menu_url(self):
        return reverse("story_report:index")

    def get_urlpatterns(self):
        return [
            path("", StoryReportView.as_view(), name="index"),
            path("results/", StoryReportView.as_view(results_only=True), name="results"),
        ]
