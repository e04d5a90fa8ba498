"""The council's private Wagtail subtree: one section per language, restricted to the council.

Each language's help-center home gets a :class:`~customer_council.models.CouncilIndexPage` with
the slug "council" and a Wagtail view restriction of type "groups" to the "Council members" group
(whom customer_council.access keeps in step with memberships) and the "Council managers" group.
Every council page beneath it inherits that restriction, so Wagtail's serving, kb.visibility's
listings and the search audiences all keep it from everyone else without knowing the council.

The section is made by code, not by editors (``max_count_per_parent = 1``): call
:func:`ensure_council_sections` after the help centers exist (every ``migrate`` does, through
customer_council.signals, and the demo loader).
Both functions are idempotent: a second run changes nothing, and a restriction an admin removed
or loosened by mistake is put back.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP, is_manager
from customer_council.models import CouncilIndexPage
from kb.models import HelpCenterPage

#: The section's slug in every language: /<lang>/council/ is the council home's URL too.
SECTION_SLUG = "council"


def council_groups() -> list[Group]:
    """The groups the council subtree is open to (both made by migrations)."""
    return list(Group.objects.filter(name__in=[ACCESS_GROUP, MANAGERS_GROUP]).order_by("pk"))


def ensure_restriction(page) -> PageViewRestriction:
    """The page's "groups" restriction to exactly the council groups (made or repaired)."""
    groups = council_groups()
    restriction = PageViewRestriction.objects.filter(page=page).order_by("pk").first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    elif restriction.restriction_type != PageViewRestriction.GROUPS:
        restriction.restriction_type = PageViewRestriction.GROUPS
        restriction.save(update_fields=["restriction_type"])
    # One restriction, never a looser second one beside it.
    PageViewRestriction.objects.filter(page=page).exclude(pk=restriction.pk).delete()
    if set(restriction.groups.values_list("pk", flat=True)) != {group.pk for group in groups}:
        restriction.groups.set(groups)
    return restriction


@transaction.atomic
def ensure_council_section(help_center: HelpCenterPage) -> CouncilIndexPage:
    """The council section under this language's help-center home, restricted to the council."""
    section = CouncilIndexPage.objects.child_of(help_center).first()
    if section is None:
        with translation.override(help_center.locale.language_code):
            title = gettext("Customer advisory council")
        section = CouncilIndexPage(title=title, slug=SECTION_SLUG, locale=help_center.locale)
        # The sections of all languages are translations of one another (the language switcher).
        sibling = CouncilIndexPage.objects.order_by("pk").first()
        if sibling is not None:
            section.translation_key = sibling.translation_key
        help_center.add_child(instance=section)
        ensure_restriction(section)
        section.save_revision().publish()
    else:
        ensure_restriction(section)
    return section


def ensure_council_sections() -> list[CouncilIndexPage]:
    """:func:`ensure_council_section` for every language's help-center home."""
    return [ensure_council_section(home) for home in HelpCenterPage.objects.order_by("path")]


# --- The Wagtail admin: council pages are for council managers ----------------------------------
#
# Editors' page permissions start at the site root, so Wagtail would list the council section in
# their explorer, page search and choosers. These hooks (registered in
# customer_council.wagtail_hooks) take the council subtree out for everyone but council managers.


def without_council_pages(pages, user):
    """``pages`` less every page in a council section, unless ``user`` is a council manager."""
    if is_manager(user):
        return pages
    # One prefix per council section (a handful, however many pages they hold), as plain path
    # lookups: Wagtail's page chooser hands this queryset to its search backend, which can
    # filter on field lookups but not on a subquery (an ``Exists`` made its search answer 500).
    for path in CouncilIndexPage.objects.values_list("path", flat=True):
        pages = pages.exclude(path__startswith=path)
    return pages


def hide_council_pages_in_explorer(parent_page, pages, request):
    return without_council_pages(pages, request.user)


def hide_council_pages_in_chooser(pages, request):
    return without_council_pages(pages, request.user)


def in_council_section(page) -> bool:
    return any(page.path.startswith(path) for path in CouncilIndexPage.objects.values_list("path", flat=True))


def refuse_council_page_to_non_managers(request, page, *args):
    """Editing, moving, copying or deleting a council page by its admin address: managers only."""
    if in_council_section(page) and not is_manager(request.user):
        raise PermissionDenied
