"""Council pages and ideas in the unified search: for members and managers, as "council" hits."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from customer_council.models import Idea, Membership
from customer_council.search_indexes import reindex_ideas_after_commit
from customer_council.services import roadmap
from kb.models import SearchEvent
from kb.search.service import search, spelling_suggestion, suggest
from tests.customer_council.area_helpers import make_council_page, make_idea
from tests.customer_council.meeting_helpers import add_agenda_item, make_meeting
from tests.factories import BROWSER_USER_AGENT, UserFactory, make_article
from tests.factories.council import (
    accept_agreements,
    make_agreements,
    make_cohort,
    make_council_manager,
    make_council_member,
    make_membership,
)
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(help_centers, django_capture_on_commit_callbacks):
    """A member, a manager, an outsider; a council page and an idea, indexed as after a commit."""
    make_agreements()
    with django_capture_on_commit_callbacks(execute=True):
        page = make_council_page(help_centers["en"], "Heliotrope roadmap briefing", "marzipan")
        idea = make_idea("Periwinkle bulk export", problem="Exporting tangerine reports takes hours.")
    return {
        "page": page,
        "idea": idea,
        "member": make_council_member(),
        "manager": make_council_manager(),
        "outsider": UserFactory(),
    }


def hits(user, query):
    return [(hit.title, hit.type, hit.url) for hit in search(reader(user), query, language="en").hits]


def test_a_member_finds_council_pages_and_ideas_as_council_hits(council):
    page, idea = council["page"], council["idea"]

    assert hits(council["member"], "marzipan") == [("Heliotrope roadmap briefing", "council", page.url)]
    idea_hit = ("Periwinkle bulk export", "council", f"/en/council/ideas/{idea.pk}/")
    assert hits(council["member"], "tangerine") == [idea_hit]
    assert [hit.type for hit in suggest(reader(council["member"]), "Periwinkle", language="en")] == ["council"]


def test_a_manager_finds_them_too(council):
    found = hits(council["manager"], "marzipan tangerine")

    assert {title for title, _type, _url in found} == {"Heliotrope roadmap briefing", "Periwinkle bulk export"}


@pytest.mark.parametrize("who", [None, "outsider"])
def test_nobody_else_finds_them_not_even_as_a_count(council, who):
    user = council[who] if who else None

    for query in ("marzipan", "tangerine", "Heliotrope", "Periwinkle"):
        results = search(reader(user), query, language="en")
        assert results.hits == [] and results.total == 0 and not any(results.facets.values())
        assert suggest(reader(user), query, language="en") == []


def test_council_words_never_reach_did_you_mean(council):
    make_article("Exporting reports")

    assert "marzipan" not in spelling_suggestion("marzipam")
    assert "tangerine" not in spelling_suggestion("tangerina")


def test_a_member_whose_term_ended_finds_nothing_even_before_their_groups_are_synced(council):
    member = council["member"]
    Membership.objects.filter(user=member).update(term_end=timezone.localdate() - timedelta(days=1))

    assert hits(member, "marzipan") == [] and hits(member, "tangerine") == []


def test_a_new_idea_is_found_once_committed_and_a_hidden_one_is_not(council, django_capture_on_commit_callbacks):
    member = council["member"]
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea("Vermilion webhooks")
    assert [title for title, *_ in hits(member, "vermilion")] == ["Vermilion webhooks"]

    with django_capture_on_commit_callbacks(execute=True):
        Idea.objects.filter(pk=idea.pk).update(hidden=True)
        reindex_ideas_after_commit(idea)

    assert hits(member, "vermilion") == []
    assert hits(council["manager"], "vermilion") == [], "the index holds no hidden idea"


def test_an_idea_merged_into_another_leaves_the_index(council, django_capture_on_commit_callbacks):
    target = make_idea("Cerulean exports")
    with django_capture_on_commit_callbacks(execute=True):
        Idea.objects.filter(pk=council["idea"].pk).update(merged_into=target)
        reindex_ideas_after_commit(council["idea"])

    assert hits(council["member"], "tangerine") == []


def test_a_search_that_found_council_content_stays_out_of_the_search_analytics(
    council, django_capture_on_commit_callbacks
):
    """The staff's search reports (top queries, zero results, clicks) are read by editors outside
    the council: a member's query that found council content may name a secret, so it is not
    recorded at all; their other searches are, like anyone's."""
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Exporting reports")
    client = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)
    client.force_login(council["member"])

    client.get("/en/search/", {"q": "marzipan"})
    client.get("/api/suggest/", {"q": "Periwinkle", "lang": "en"})
    client.get("/en/search/", {"q": "tangerine", "content_type": "council"})
    assert not SearchEvent.objects.exists()

    client.get("/en/search/", {"q": "exporting"})  # finds the public article and the idea: not recorded
    client.get("/en/search/", {"q": "articles nowhere"})
    assert list(SearchEvent.objects.values_list("query", flat=True)) == ["articles nowhere"]


def test_roadmap_previews_and_meetings_are_council_hits_for_those_who_may_open_them(
    council, django_capture_on_commit_callbacks
):
    """A roadmap preview is every member's; a cohort's meeting is that cohort's and the managers'
    (customer_council.access.visible_meetings): a member of another cohort does not find it."""
    manager, member = council["manager"], council["member"]
    other_cohort = make_cohort("Council 2027")
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.create_item(manager, "Ultramarine planner", "Plan the quarter.", embargo_until=timezone.now())
        whole = make_meeting("Saffron kickoff")
        cohort_only = make_meeting("Vermilion workshop", cohort=other_cohort)
        add_agenda_item(whole, title="Chartreuse agenda point")
    other = UserFactory()
    make_membership(other, cohort=other_cohort)
    accept_agreements(other)

    assert [(t, kind) for t, kind, _url in hits(member, "ultramarine")] == [("Ultramarine planner", "council")]
    assert [t for t, *_ in hits(member, "chartreuse")] == ["Saffron kickoff"], "the agenda is searched"
    assert hits(member, "vermilion") == [], "another cohort's meeting"
    assert [url for *_, url in hits(other, "vermilion")] == [f"/en/council/meetings/{cohort_only.pk}/"]
    assert {t for t, *_ in hits(manager, "vermilion saffron")} == {"Vermilion workshop", "Saffron kickoff"}
    for query in ("ultramarine", "chartreuse", "vermilion"):
        assert hits(council["outsider"], query) == [] and hits(None, query) == []
