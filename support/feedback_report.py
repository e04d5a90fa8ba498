"""The "Why it didn't help" report: the reasons and comments readers give after answering "No" on an article.

One row per "No" vote that carries a reason or a comment (support.models.ArticleVote), newest
first, with the figures per reason above the table; the article editor's side panel
(support.feedback_panel) shows the same figures for one article and links here.

Who sees what:

* the report opens for the support reports' readers (``support.view_event``, given to Support
  agents), for anyone granted ``support.view_articlevote`` in Settings › Groups, and for editors
  (anyone who may change pages), since they are the ones who act on it;
* an editor without either permission sees the votes on the pages they may change only;
* everyone sees only votes on pages they may open as a reader (kb.visibility): a page under a
  view restriction (the council's section among them) stays out for those it keeps out, in the
  listing's own query.

Comments are reader text: the table escapes them (dir="auto"), the CSV/XLSX export makes them
spreadsheet-safe (sitewide.exports) and drops control characters a spreadsheet refuses.
"""

from django import forms
from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, DateFromToRangeFilter, NumberFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from kb.visibility import visible_pages
from sitewide.exports import spreadsheet_safe
from sitewide.reader import reader_of
from sitewide.text import clean_text
from support.models import ArticleVote

#: Either of these opens the report on every article the user may read.
FEEDBACK_PERMISSIONS = ("support.view_event", "support.view_articlevote")
#: Page actions that make a user an editor, who sees the feedback on the pages they may change.
EDITOR_ACTIONS = ["change", "publish"]


def sees_all_feedback(user) -> bool:
    return user.is_active and any(user.has_perm(permission) for permission in FEEDBACK_PERMISSIONS)


def can_see_feedback(user) -> bool:
    """Whether ``user`` may open the report (the menu item and the view ask the same)."""
    if not user.is_authenticated:
        return False
    return sees_all_feedback(user) or PagePermissionPolicy().user_has_any_permission(user, EDITOR_ACTIONS)


def feedback_votes(user, reader) -> QuerySet:
    """The "No" votes with a reason or a comment that ``user`` may see, as ``reader`` (one query).

    Each vote is annotated with ``is_current`` (for the article's live revision), ``article_title``
    and ``language`` (the article's language code).
    """
    pages = visible_pages(Page.objects.all(), reader)
    if not sees_all_feedback(user):
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, EDITOR_ACTIONS)
        pages = pages.filter(pk__in=editable.values("pk"))
    return with_revision_state(
        ArticleVote.objects.filter(helpful=False, article__in=pages.values("pk")).filter(~Q(reason="") | ~Q(comment=""))
    ).annotate(article_title=F("article__title"), language=F("article__locale__language_code"))


def with_revision_state(votes: QuerySet) -> QuerySet:
    """``votes`` annotated with ``is_current``: cast on the article's live revision."""
    return votes.annotate(
        is_current=ExpressionWrapper(
            Q(revision_id__isnull=False, revision_id=F("article__live_revision_id")), output_field=BooleanField()
        )
    )


def reason_counts(votes: QuerySet, *, live_revision_id=None) -> list[dict]:
    """Per reason (in the model's order): ``{"reason", "label", "total", "current"}``, from one query.

    ``current`` counts the votes on ``live_revision_id`` (None when not asked for). Votes with a
    comment and no reason count under the reason "".
    """
    figures = {}
    for value in [*ArticleVote.Reason.values, ""]:
        figures[f"total_{value}"] = Count("pk", filter=Q(reason=value))
        if live_revision_id is not None:
            figures[f"current_{value}"] = Count("pk", filter=Q(reason=value, revision_id=live_revision_id))
    counted = votes.order_by().aggregate(**figures)
    labels = [*ArticleVote.Reason.choices, ("", gettext("No reason, a comment only"))]
    return [
        {
            "reason": value,
            "label": label,
            "total": counted[f"total_{value}"],
            "current": counted.get(f"current_{value}"),
        }
        for value, label in labels
    ]


def readable_comment(value) -> str:
    """A reader's comment with the characters no page or spreadsheet should carry removed."""
    return clean_text(value).replace("\x00", "")


def export_comment(value) -> str:
    return spreadsheet_safe(readable_comment(value))


def language_name(code) -> str:
    return str(dict(settings.LANGUAGES).get(code, code or ""))


def revision_label(is_current) -> str:
    return gettext("Current") if is_current else gettext("Older")


def reason_label(value) -> str:
    return str(ArticleVote.Reason(value).label) if value in ArticleVote.Reason.values else ""


def voted_on(vote) -> str:
    return date_format(timezone.localtime(vote.created_at), "SHORT_DATETIME_FORMAT")


def article_link(vote):
    return format_html(
        '<a href="{}" dir="auto">{}</a>',
        reverse("wagtailadmin_pages:edit", args=[vote.article_id]),
        vote.article_title or "—",
    )


class ReaderTextColumn(Column):
    """A column of text a reader typed: escaped, its direction its own, line breaks kept."""

    cell_template_name = "support/reports/feedback_comment_cell.html"


class FeedbackFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    language = ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, field_name="article__locale__language_code"
    )
    reason = ChoiceFilter(label=_("Reason"), choices=ArticleVote.Reason.choices)
    article = NumberFilter(label=_("Article (page id)"), field_name="article_id", min_value=1)
    with_comment = BooleanFilter(
        label=_("With a comment only"), method="filter_with_comment", widget=forms.CheckboxInput
    )

    class Meta:
        model = ArticleVote
        fields = []

    def filter_with_comment(self, queryset, name, value):
        return queryset.exclude(comment="") if value else queryset


class FeedbackReportView(ReportView):
    """Every "No" with a reason or a comment on the articles the user may see (module docstring)."""

    model = ArticleVote
    page_title = _("Why it didn't help")
    header_icon = "comment"
    index_url_name = "support_reports:feedback"
    index_results_url_name = "support_reports:feedback_results"
    results_template_name = "support/reports/feedback_results.html"
    export_filename = "support-article-feedback"
    filterset_class = FeedbackFilterSet
    paginate_by = 50
    default_ordering = "-created_at"
    columns = [
        Column("created_at", label=_("Date"), sort_key="created_at", accessor=voted_on),
        Column("article_title", label=_("Article"), sort_key="article_title", accessor=article_link),
        Column("language", label=_("Language"), accessor=lambda vote: language_name(vote.language)),
        Column("reason", label=_("Reason"), accessor=lambda vote: reason_label(vote.reason)),
        ReaderTextColumn("comment", label=_("Comment"), accessor=lambda vote: readable_comment(vote.comment)),
        Column("is_current", label=_("Revision"), accessor=lambda vote: revision_label(vote.is_current)),
    ]
    list_export = ["created_at", "article_id", "article_title", "language", "reason", "comment", "is_current"]
    export_headings = {
        "created_at": _("Date"),
        "article_id": _("Page id"),
        "article_title": _("Article"),
        "language": _("Language"),
        "reason": _("Reason"),
        "comment": _("Comment"),
        "is_current": _("Revision"),
    }
    custom_field_preprocess = {
        "article_title": {ReportView.FORMAT_CSV: spreadsheet_safe, ReportView.FORMAT_XLSX: spreadsheet_safe},
        "comment": {ReportView.FORMAT_CSV: export_comment, ReportView.FORMAT_XLSX: export_comment},
        "reason": {ReportView.FORMAT_CSV: reason_label, ReportView.FORMAT_XLSX: reason_label},
        "is_current": {ReportView.FORMAT_CSV: revision_label, ReportView.FORMAT_XLSX: revision_label},
    }

    def user_has_permission(self, permission):
        return can_see_feedback(self.request.user)

    # ReportView asks for "view" through the model's policy; this report answers with its own rule.
    permission_required = "view"

    def get_queryset(self):
        return self.order_queryset(feedback_votes(self.request.user, reader_of(self.request)))

    def order_queryset(self, queryset):
        # Ties (votes of the same second) in a stable order, newest first.
        ordered = super().order_queryset(queryset)
        return ordered.order_by(*ordered.query.order_by, "-pk")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            # The figures of the whole filtered range, not of this page of the table.
            context["reason_counts"] = reason_counts(self.object_list)
            context["chosen_article"] = self.chosen_article()
        return context

    def chosen_article(self):
        """The article the "Article" filter names, when the user may see it."""
        if self.filters is None or not self.filters.is_valid():
            return None
        page_id = self.filters.form.cleaned_data.get("article")
        if not page_id:
            return None
        return visible_pages(Page.objects.filter(pk=page_id), reader_of(self.request)).only("pk", "title").first()
