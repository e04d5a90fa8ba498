""" "You said, we did": the ideas a cohort raised, their status history and the roadmap items
that answer them, for the reader's cohort or one chosen; a printable view; constant queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from customer_council.models import Idea, IdeaStatus, Membership
from customer_council.services import ideas, roadmap
from tests.customer_council.roadmap_helpers import make_item
from tests.factories import UserFactory
from tests.factories.council import make_cohort, make_council_manager, make_membership
from tests.html_checks import html_problems

pytestmark = pytest.mark.django_db

URL = "/en/council/roadmap/you-said-we-did/"
#: The page's queries whatever the cohort's size: session, user and groups, the access checks of
#: the middleware and the gate, the reader's membership (default cohort), the reader's visible
#: ideas, the ideas (status, area and author joined), their status changes, their roadmap items,
#: the cohorts for the chooser and the site header.
PAGE_QUERIES = 19


def member_of(cohort, **fields):
    user = UserFactory(**fields)
    make_membership(user, cohort=cohort)
    return user


@pytest.fixture
def council():
    """Two cohorts; the spring cohort raised two ideas (one shipped with an item), one is hidden;
    the autumn cohort raised one."""
    manager = make_council_manager()
    spring, autumn = make_cohort("Spring cohort"), make_cohort("Autumn cohort")
    alice, bob = member_of(spring), member_of(autumn)
    planner = ideas.post_idea(alice, "Quarter planner", "No plan")
    ideas.change_status(planner, IdeaStatus.objects.get(name="Planned"), "We are *on it*.", by=manager)
    export = ideas.post_idea(alice, "Bulk export", "Slow")
    hidden = ideas.post_idea(alice, "Customer secret idea", "Oops")
    ideas.post_idea(bob, "Autumn-only idea", "Other")
    Idea.objects.filter(pk=hidden.pk).update(hidden=True)
    item = make_item(manager, "Planner release", days=-1, ideas=[planner])
    roadmap.mark_shipped(item, by=manager)
    make_item(manager, "Export preview", ideas=[export])
    return {"manager": manager, "spring": spring, "autumn": autumn, "alice": alice, "bob": bob}


def test_a_member_sees_their_cohorts_ideas_with_history_and_the_items_that_answer_them(client, council):
    client.force_login(council["alice"])

    response = client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200 and "Spring cohort" in body
    assert "Quarter planner" in body and "Bulk export" in body
    assert "Autumn-only idea" not in body and "Customer secret idea" not in body
    assert "<em>on it</em>" in body and "Planned" in body
    assert "council-yswd-item-shipped" in body and "Planner release" in body
    assert "Export preview" in body and "Confidential until" in body


def test_a_hidden_idea_stays_off_the_page_for_managers_too(client, council):
    client.force_login(council["manager"])

    body = client.get(URL, {"cohort": council["spring"].pk}).content.decode()

    assert "Quarter planner" in body and "Customer secret idea" not in body


def test_a_member_may_open_another_cohorts_page_all_members_share_council_content(client, council):
    client.force_login(council["alice"])

    body = client.get(URL, {"cohort": council["autumn"].pk}).content.decode()

    assert "Autumn-only idea" in body and "Quarter planner" not in body


def test_an_idea_counts_for_every_cohort_its_author_sat_in_whatever_the_membership_state_now(client, council):
    make_membership(council["alice"], cohort=council["autumn"], state=Membership.State.EXPIRED)
    client.force_login(council["manager"])

    body = client.get(URL, {"cohort": council["autumn"].pk}).content.decode()

    assert "Quarter planner" in body and "Autumn-only idea" in body


def test_a_manager_sees_the_newest_cohort_by_default_and_may_choose_any(client, council):
    make_cohort("Newest cohort", starts_on=timezone.localdate() - timedelta(days=1))
    client.force_login(council["manager"])

    assert "Newest cohort" in client.get(URL).content.decode().split("<h1>")[1].split("</h1>")[0]
    assert "Quarter planner" in client.get(URL, {"cohort": council["spring"].pk}).content.decode()


@pytest.mark.parametrize("forged", ["", "abc", "0", "-1", "1.5", "99999999", "9" * 40, "١"])
def test_a_forged_cohort_id_is_a_404(client, council, forged):
    client.force_login(council["alice"])

    assert client.get(URL, {"cohort": forged}).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "invited", "expired", "revoked"])
def test_no_one_outside_the_council_opens_any_cohorts_page(client, council, role):
    user = UserFactory()
    if role != "outsider":
        make_membership(user, cohort=council["spring"], state=role)
    client.force_login(user)

    for query in ({"cohort": council["spring"].pk}, {"cohort": council["spring"].pk, "print": "1"}):
        response = client.get(URL, query)
        assert response.status_code == 404
        assert "Quarter planner" not in response.content.decode() and "Spring cohort" not in response.content.decode()


def test_the_printable_view_is_a_minimal_confidential_page(client, council):
    client.force_login(council["alice"])

    response = client.get(URL, {"print": "1"})

    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Quarter planner" in body and "Planner release" in body and "council-print" in body
    assert 'class="council-nav"' not in body and "site-header" not in body and "<form" not in body
    assert "Confidential: customer advisory council" in body and "council-roadmap.css" in body


def test_the_page_costs_the_same_queries_however_many_ideas_and_changes(client, council, django_assert_max_num_queries):
    client.force_login(council["alice"])
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get(URL)

    manager = council["manager"]
    for number in range(25):
        idea = ideas.post_idea(member_of(council["spring"]), f"More {number}", "P")
        ideas.change_status(idea, IdeaStatus.objects.get(name="Planned"), f"Note {number}", by=manager)
        make_item(manager, f"Item {number}", ideas=[idea])
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.content.decode().count('class="council-yswd-idea') == 27
    with django_assert_max_num_queries(PAGE_QUERIES - 4):
        client.get(URL, {"print": "1"})


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_roadmap_pages_are_well_formed_html_in_every_language_right_to_left_included(client, council, language):
    client.force_login(council["manager"])
    item = make_item(council["manager"], "Quarter preview")
    urls = [
        f"/{language}/council/roadmap/",
        f"/{language}/council/roadmap/{item.pk}/",
        f"/{language}/council/roadmap/you-said-we-did/",
        f"/{language}/council/roadmap/you-said-we-did/?print=1",
        f"/{language}/whats-new/",
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_problems(response.content.decode()) == [], url
        if language in ("fa", "he"):
            assert 'dir="rtl"' in response.content.decode(), url
