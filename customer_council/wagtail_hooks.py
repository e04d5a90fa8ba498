"""The council in the Wagtail admin: one "Council" menu (cohorts, memberships, agreements, the
membership changes report, the board's lists, roadmap and meetings), for council managers.
Defined in customer_council.viewsets."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import register_permission_policy

from customer_council import sections
from customer_council.access import ACCESS_GROUP, is_manager
from customer_council.admin_search import BasePageViewSet
from customer_council.documents import document_policy
from customer_council.models import RSVP, Idea, IdeaVote, MembershipEvent
from customer_council.viewsets import POLICY_MODELS, CouncilManagersPolicy, CouncilViewSetGroup

# Before the viewsets register (they look their model's policy up when they do).
for model in POLICY_MODELS:
    register_permission_policy(model, CouncilManagersPolicy(model))
# Council documents out of the admin's document screens for all but council managers. For the
# exact class, which wins over wagtail.documents' own registration whichever app is ready first.
register_permission_policy(get_document_model(), document_policy(), exact_class=True)


@hooks.register("register_admin_viewset")
def register_council_admin():
    return CouncilViewSetGroup()


# --- Council pages in the admin: managers only (customer_council.sections; the private area) ----
hooks.register("construct_explorer_page_queryset", sections.hide_council_pages_in_explorer)
hooks.register("construct_page_chooser_queryset", sections.hide_council_pages_in_chooser)
for _hook in ("before_edit_page", "before_delete_page", "before_copy_page", "before_move_page"):
    hooks.register(_hook, sections.refuse_council_page_to_non_managers)


@hooks.register("register_admin_viewset")
def register_council_safe_page_search():
    """The base page viewset with a search that leaves council pages out (admin_search)."""
    return BasePageViewSet()


@hooks.register("survey_audiences")
def register_council_survey_audience():
    """customer_voice sends council survey runs to, and segments answers by, the members who may
    enter the council now (the access group kept by customer_council.access.sync_access)."""
    return {"council": lambda: get_user_model().objects.filter(groups__name=ACCESS_GROUP)}


@hooks.register("survey_audience_viewers")
def register_council_survey_audience_viewers():
    """Who may see, in customer_voice's screens, the council's survey runs, what members answered
    in them and who is a member: council managers and superusers, nobody else (support agents
    included)."""
    return {"council": is_manager}


@hooks.register("customer_timeline_sources")
def council_timeline_touches(user, limit, viewer):
    """customer_voice's customer timeline: the member's council activity (membership changes,
    ideas posted, idea votes, meeting RSVPs), the latest ``limit + 1`` of each, one query each.

    Only for a ``viewer`` who may see the council (:func:`is_manager`); anyone else gets nothing,
    not even the sign that the customer is or was a member."""
    if not is_manager(viewer):
        return []

    def latest(queryset, order):
        return queryset.order_by(f"-{order}", "-pk")[: limit + 1]

    touches = []
    for event in latest(MembershipEvent.objects.filter(membership__user=user), "at"):
        label = _("Council membership: %(change)s") % {"change": event.get_kind_display()}
        touches.append({"at": event.at, "kind": "council_membership", "label": label, "url": ""})
    for idea in latest(Idea.objects.filter(author=user), "created_at"):
        label = _("Posted a council idea: %(title)s") % {"title": idea.title}
        touches.append({"at": idea.created_at, "kind": "council_idea", "label": label, "url": idea.get_absolute_url()})
    for vote in latest(IdeaVote.objects.filter(user=user).select_related("idea"), "created_at"):
        label = _("Voted for a council idea: %(title)s") % {"title": vote.idea.title}
        url = vote.idea.get_absolute_url()
        touches.append({"at": vote.created_at, "kind": "council_idea_vote", "label": label, "url": url})
    for rsvp in latest(RSVP.objects.filter(user=user).select_related("meeting"), "at"):
        label = _("Answered a council meeting invitation (%(meeting)s): %(response)s") % {
            "meeting": rsvp.meeting.title,
            "response": rsvp.get_response_display(),
        }
        touches.append({"at": rsvp.at, "kind": "council_rsvp", "label": label, "url": ""})
    return touches
