"""The roadmap in the council: the members' preview list, an item's page, and "You said, we did".

Members (who may enter) and council managers only (customer_council.gate), every response
confidential (customer_council.privacy). Items under embargo are shown marked "Confidential until
<date>"; the ideas an item answers are listed only as the reader may open them
(``visible_ideas``: a moderator's hidden idea is not named to members).

"You said, we did" lists the ideas a cohort's members raised (not hidden), each with its status
history and the roadmap items that answer it, for one cohort: ``?cohort=<id>``, by default the
reader's current cohort (a manager's default is the newest cohort). Any member may open any
cohort's page: everyone on the council is trusted with all council content, the ideas are on the
board for every member already, and the page adds only which cohort their authors sat in.
``?print=1`` is the same content in a minimal layout for printing (no PDF is made).

Every page costs the same number of queries whatever the number of items, ideas or changes
(lists are fetched with joins and prefetches; the tests hold it).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from customer_council.access import current_membership, is_manager
from customer_council.gate import member_required
from customer_council.models import Cohort, IdeaStatus, IdeaStatusChange, RoadmapItem
from customer_council.privacy import confidential
from customer_council.services import ideas as idea_service
from customer_council.services import roadmap as roadmap_service
from sitewide.ids import parse_id

ITEMS_PER_PAGE = 50


def _with_visible_ideas(items, user):
    """``items`` with their product area and, prefetched, the ideas ``user`` may open (status joined)."""
    ideas = idea_service.visible_ideas(user).select_related("status").order_by("-vote_count", "pk")
    return items.select_related("product_area").prefetch_related(Prefetch("ideas", queryset=ideas))


@confidential
@require_GET
@member_required
def roadmap(request):
    """Every roadmap item, soonest embargo first: previews under embargo marked confidential."""
    user = request.user
    items = _with_visible_ideas(roadmap_service.visible_items(user).order_by("embargo_until", "pk"), user)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "council_section": "roadmap",
        "page_obj": page,
        "items": list(page.object_list),
        "now": timezone.now(),
        "is_manager": is_manager(user),
    }
    return render(request, "customer_council/roadmap/list.html", context)


@confidential
@require_GET
@member_required
def item(request, pk):
    user = request.user
    entry = get_object_or_404(_with_visible_ideas(roadmap_service.visible_items(user), user), pk=pk)
    context = {
        "council_section": "roadmap",
        "item": entry,
        "now": timezone.now(),
        "is_manager": is_manager(user),
    }
    return render(request, "customer_council/roadmap/item.html", context)


def _cohort_for(request) -> Cohort | None:
    """The cohort asked for (404 when the id is not one), else the reader's current cohort, else
    (a manager) the newest one."""
    if "cohort" in request.GET:
        cohort_id = parse_id(request.GET.get("cohort"))
        if cohort_id is None:
            raise Http404
        return get_object_or_404(Cohort, pk=cohort_id)
    membership = current_membership(request.user)
    if membership is not None:
        return membership.cohort
    return Cohort.objects.order_by("-starts_on", "name").first()


@confidential
@require_GET
@member_required
def you_said_we_did(request):
    user = request.user
    cohort = _cohort_for(request)
    ideas = []
    if cohort is not None:
        history = IdeaStatusChange.objects.select_related("status").order_by("at", "pk")
        # Shipped items first ("shipped" sorts after "planned" and "in_progress").
        items = RoadmapItem.objects.select_related("product_area").order_by("-stage", "embargo_until", "pk")
        raised = (
            idea_service.visible_ideas(user)
            .filter(hidden=False, author__council_memberships__cohort=cohort)
            .distinct()
            .select_related("status", "product_area", "author")
            .prefetch_related(Prefetch("status_changes", queryset=history), Prefetch("roadmap_items", queryset=items))
            .order_by("created_at", "pk")
        )
        ideas = list(raised)
    printable = request.GET.get("print") == "1"
    context = {
        "council_section": "roadmap",
        "cohort": cohort,
        "cohorts": list(Cohort.objects.order_by("-starts_on", "name")) if not printable else [],
        "ideas": ideas,
        "shipped_count": sum(1 for idea in ideas if idea.status.kind == IdeaStatus.Kind.SHIPPED),
        "now": timezone.now(),
        "printable": printable,
    }
    name = "you_said_we_did_print" if printable else "you_said_we_did"
    return render(request, f"customer_council/roadmap/{name}.html", context)
