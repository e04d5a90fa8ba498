"""Wagtail's admin page search, without council pages for anyone who does not run the council.

Editors and agents explore the whole page tree (their page permissions sit on the root), so
Wagtail's search would list council page titles to them. Wagtail lets a project replace the
search view of the base page viewset (``PageViewSet.search_view_class``, "only used by the base
Page model's viewset"); this one narrows the pages the search may look at (the policy's
``explorable_instances``, which Wagtail filters by before searching, so results, facets and
counts all leave council pages out) the way the explorer and chooser hooks do
(customer_council.sections.without_council_pages).
"""

from django.utils.functional import cached_property
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from customer_council.sections import without_council_pages


class WithoutCouncilPages:
    """A page permission policy whose explorable pages leave council pages out (for non-managers)."""

    def __init__(self, policy):
        self.policy = policy

    def __getattr__(self, name):
        return getattr(self.policy, name)

    def explorable_instances(self, user, *args, **kwargs):
        return without_council_pages(self.policy.explorable_instances(user, *args, **kwargs), user)


class CouncilSafeSearchView(SearchView):
    @cached_property
    def permission_policy(self):
        return WithoutCouncilPages(SearchView.permission_policy.func(self))


class BasePageViewSet(PageViewSet):
    model = Page
    search_view_class = CouncilSafeSearchView
