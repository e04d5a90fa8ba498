from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from kb.models import ArticlePage
from kb.reports import SearchesWithoutResultsReportView, SearchSummaryReportView, TopSearchQueriesReportView
from kb.rich_text import PageLinkWithAnchorHandler
from kb.views_counter import record_article_view
from kb.viewsets import ProductViewSet

register_snippet(ProductViewSet)


# After Wagtail's own features (order 0), so this handler replaces its "page" link type.
@hooks.register("register_rich_text_features", order=1)
def register_page_links_with_sections(features):
    features.register_link_type(PageLinkWithAnchorHandler)


@hooks.register("before_serve_page")
def count_article_views(page, request, serve_args, serve_kwargs):
    if isinstance(page, ArticlePage):
        record_article_view(page, request)


# --- Search reports (kb.reports) ------------------------------------------------------------
SEARCH_REPORT_PERMISSION = "kb.view_searchevent"


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urlpatterns = []
    for route, name, view in [
        ("top-queries/", "top_queries", TopSearchQueriesReportView),
        ("no-results/", "no_results", SearchesWithoutResultsReportView),
        ("click-through/", "summary", SearchSummaryReportView),
    ]:
        urlpatterns += [
            path(route, view.as_view(), name=name),
            path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return [path("search-reports/", include((urlpatterns, "kb_search_reports")))]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SEARCH_REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_top_search_queries_menu_item():
    return SearchReportMenuItem(
        _("Top search queries"),
        reverse("kb_search_reports:top_queries"),
        name="search-top-queries",
        icon_name="search",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_searches_without_results_menu_item():
    return SearchReportMenuItem(
        _("Searches with no results"),
        reverse("kb_search_reports:no_results"),
        name="search-no-results",
        icon_name="warning",
        order=1320,
    )


@hooks.register("register_reports_menu_item")
def register_search_click_through_menu_item():
    return SearchReportMenuItem(
        _("Search click-through"),
        reverse("kb_search_reports:summary"),
        name="search-click-through",
        icon_name="pick",
        order=1330,
    )


@hooks.register("register_permissions")
def register_search_report_permission():
    """Lets administrators grant the reports to more groups in Settings › Groups."""
    return Permission.objects.filter(content_type__app_label="kb", codename="view_searchevent")
