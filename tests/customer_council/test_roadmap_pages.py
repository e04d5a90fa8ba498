"""The roadmap's pages in the council: who gets in (every role), what members see of previews
under embargo, and the same number of queries however long the roadmap is."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from customer_council.models import Membership, RoadmapItem
from customer_council.services import ideas
from tests.customer_council.area_helpers import make_idea
from tests.customer_council.roadmap_helpers import PREVIEW_TITLE, PREVIEW_WORD, make_item
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db

#: The list's queries whatever the number of items: session, user and groups, the access checks
#: of the middleware and the gate, the reader's visible ideas, the count, the page's items (area
#: joined), their visible ideas (status joined), the manager check and the site header.
ROADMAP_QUERIES = 19


def role_user(role):
    if role == "outsider":
        return UserFactory()
    user = UserFactory()
    make_membership(user, state=role)
    return user


def without_echo(body: str, url: str) -> str:
    """The page less the address asked for (the language links repeat it in every language)."""
    path = url.split("?")[0].removeprefix("/en")
    for code, _name in settings.LANGUAGES:
        body = body.replace(f"/{code}{path}", "")
    return body


def roadmap_urls(item):
    return [
        reverse("customer_council:roadmap"),
        reverse("customer_council:roadmap_item", args=[item.pk]),
        reverse("customer_council:you_said_we_did"),
        reverse("customer_council:you_said_we_did") + "?print=1",
    ]


@pytest.fixture
def item():
    manager = make_council_manager()
    idea = ideas.post_idea(make_council_member(), "Planner idea", "No plan")
    return make_item(manager, ideas=[idea])


def test_anonymous_visitors_are_sent_to_log_in_and_told_nothing(client, item):
    for url in roadmap_urls(item):
        response = client.get(url)

        assert response.status_code == 302, url
        assert "login" in response["Location"], url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("role", ["outsider", "invited", "expired", "revoked"])
def test_logged_in_outsiders_get_a_404_without_a_word_of_the_roadmap(client, item, role):
    client.force_login(role_user(role))

    for url in roadmap_urls(item):
        response = client.get(url)

        assert response.status_code == 404, url
        body = without_echo(response.content.decode(), url)
        assert PREVIEW_TITLE not in body and PREVIEW_WORD not in body, url
        assert "/council/roadmap/" not in body, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("make_user", [make_council_member, make_council_manager], ids=["member", "manager"])
def test_members_and_managers_see_the_preview_marked_confidential(client, item, make_user):
    client.force_login(make_user())

    for url in roadmap_urls(item):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow", url

    listing = client.get(reverse("customer_council:roadmap")).content.decode()
    assert PREVIEW_TITLE in listing and "Confidential until" in listing and "Planner idea" in listing
    assert f'<time datetime="{timezone.localtime(item.embargo_until).isoformat()}">' in listing
    page = client.get(reverse("customer_council:roadmap_item", args=[item.pk])).content.decode()
    assert PREVIEW_WORD in page and "Confidential until" in page


def test_an_item_past_its_embargo_is_no_longer_marked_confidential(client):
    make_item(make_council_manager(), "Shipped planner", days=-1)
    client.force_login(make_council_member())

    listing = client.get(reverse("customer_council:roadmap")).content.decode()

    assert "Shipped planner" in listing and "Confidential until" not in listing


def test_a_hidden_idea_is_not_named_to_members_on_the_roadmap(client):
    hidden = make_idea("Secret customer name idea", hidden=True)
    item = make_item(make_council_manager(), ideas=[hidden])
    client.force_login(make_council_member())

    for url in (reverse("customer_council:roadmap"), reverse("customer_council:roadmap_item", args=[item.pk])):
        assert "Secret customer name idea" not in client.get(url).content.decode(), url

    client.force_login(make_council_manager())
    assert "Secret customer name idea" in client.get(reverse("customer_council:roadmap")).content.decode()


def test_a_forged_or_missing_item_id_is_a_404(client, item):
    client.force_login(make_council_member())

    assert client.get(reverse("customer_council:roadmap_item", args=[item.pk + 1000])).status_code == 404
    assert client.get(f"/en/council/roadmap/{'9' * 30}/").status_code == 404
    assert client.get(reverse("customer_council:roadmap") + "?page=abc").status_code == 200


def test_the_roadmap_pages_write_nothing_and_accept_no_post(client, item):
    client.force_login(make_council_manager())
    before = list(RoadmapItem.objects.values())

    for url in roadmap_urls(item):
        assert client.post(url, {"title": "Changed"}).status_code == 405, url

    assert list(RoadmapItem.objects.values()) == before


def test_the_list_costs_the_same_queries_however_many_items_and_ideas(client, django_assert_max_num_queries):
    manager = make_council_manager()
    member = make_council_member()
    client.force_login(member)
    make_item(manager, "First", ideas=[make_idea("Idea 0")])
    with django_assert_max_num_queries(ROADMAP_QUERIES):
        assert client.get(reverse("customer_council:roadmap")).status_code == 200

    for number in range(1, 30):
        make_item(manager, f"Item {number}", ideas=[make_idea(f"Idea {number}a"), make_idea(f"Idea {number}b")])
    with django_assert_max_num_queries(ROADMAP_QUERIES):
        response = client.get(reverse("customer_council:roadmap"))
    assert response.content.decode().count('class="council-roadmap-item"') == 30


def test_an_item_page_costs_the_same_queries_however_many_ideas_it_answers(client, django_assert_max_num_queries):
    item = make_item(make_council_manager(), ideas=[make_idea(f"Idea {number}") for number in range(40)])
    client.force_login(make_council_member())

    with django_assert_max_num_queries(ROADMAP_QUERIES):
        response = client.get(reverse("customer_council:roadmap_item", args=[item.pk]))

    assert response.content.decode().count("/en/council/ideas/") >= 40


def test_members_whose_term_ended_lose_the_roadmap_on_their_next_request(client, item):
    member = make_council_member()
    client.force_login(member)
    assert client.get(reverse("customer_council:roadmap")).status_code == 200

    Membership.objects.filter(user=member).update(state=Membership.State.REVOKED)

    assert client.get(reverse("customer_council:roadmap")).status_code == 404


# --- In the Wagtail admin -------------------------------------------------------------------------

ADMIN = "/admin/council/roadmap/"


def admin_urls(item):
    return [
        ADMIN,
        f"{ADMIN}new/",
        f"{ADMIN}edit/{item.pk}/",
        f"{ADMIN}publish/{item.pk}/",
        f"{ADMIN}unpublish/{item.pk}/",
        f"{ADMIN}ship/{item.pk}/",
    ]


def an_editor():
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def admin_time(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def test_council_managers_open_every_roadmap_admin_page(client, item):
    client.force_login(make_council_manager())

    for url in admin_urls(item):
        response = client.get(url)
        assert response.status_code == 200, url

    assert PREVIEW_TITLE in client.get(ADMIN).content.decode()


@pytest.mark.parametrize("make_user", [an_editor, make_council_member], ids=["editor", "member"])
def test_staff_and_members_outside_the_managers_are_kept_out_of_the_roadmap_admin(client, item, make_user):
    user = make_user()
    user.is_staff = True
    user.save()
    client.force_login(user)

    for url in admin_urls(item):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert PREVIEW_TITLE not in response.content.decode(), url
        response = client.post(url, {"public_title": "Leak", "title": "Leak", "embargo_until": "2020-01-01 00:00"})
        assert response.status_code in (302, 403), url

    item.refresh_from_db()
    assert item.published_at is None and item.stage == "planned"
    assert not RoadmapItem.objects.filter(title="Leak").exists()


def test_a_manager_creates_and_edits_an_item_through_the_service(client):
    manager = make_council_manager()
    idea = make_idea("Linked idea")
    client.force_login(manager)
    data = {
        "title": "Admin planner",
        "summary": "A *plan*",
        "stage": "in_progress",
        "embargo_until": admin_time(timezone.now() + timedelta(days=3)),
        "idea_numbers": f"#{idea.pk}",
    }

    response = client.post(f"{ADMIN}new/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    item = RoadmapItem.objects.get(title="Admin planner")
    assert item.created_by == manager and item.summary_html == "<p>A <em>plan</em></p>"
    assert list(item.ideas.all()) == [idea] and item.stage == "in_progress"

    response = client.post(f"{ADMIN}edit/{item.pk}/", data | {"title": "Renamed planner", "idea_numbers": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Renamed planner" and not item.ideas.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"title": "nul \x00"},
        {"summary": "s" * 20001},
        {"idea_numbers": "12, abc"},
        {"idea_numbers": "99999999"},
        {"idea_numbers": "9" * 40},
        {"stage": "shipped"},
        {"embargo_until": "not a date"},
    ],
    ids=["NUL", "huge", "not a number", "no such idea", "too big", "shipped by editing", "bad date"],
)
def test_bad_input_in_the_admin_form_is_refused_and_nothing_is_written(client, bad):
    client.force_login(make_council_manager())
    data = {"title": "Admin planner", "summary": "", "stage": "planned", "embargo_until": admin_time(timezone.now())}

    response = client.post(f"{ADMIN}new/", data | bad)

    assert 200 <= response.status_code < 500 and response.status_code != 302
    assert not RoadmapItem.objects.exists()


def test_publishing_in_the_admin_before_the_embargo_is_refused(client, item):
    client.force_login(make_council_manager())

    response = client.post(f"{ADMIN}publish/{item.pk}/", {"public_title": "Too early", "public_summary": ""})

    assert response.status_code == 409 and "confidential until" in response.content.decode()
    item.refresh_from_db()
    assert item.published_at is None and item.public_title == ""


def test_a_manager_publishes_unpublishes_and_ships_in_the_admin(client):
    manager = make_council_manager()
    idea = make_idea("Linked idea")
    item = make_item(manager, days=-1, ideas=[idea])
    client.force_login(manager)

    publish_page = client.get(f"{ADMIN}publish/{item.pk}/").content.decode()
    assert PREVIEW_WORD not in publish_page.split("<form")[1]  # the preview is never copied in
    assert (
        client.post(f"{ADMIN}publish/{item.pk}/", {"public_title": "Public", "public_summary": "Hi"}).status_code == 302
    )
    item.refresh_from_db()
    assert item.public_title == "Public" and item.published_by == manager

    assert client.post(f"{ADMIN}unpublish/{item.pk}/").status_code == 302
    item.refresh_from_db()
    assert item.published_at is None

    assert client.post(f"{ADMIN}ship/{item.pk}/", {"note": "Enjoy"}).status_code == 302
    item.refresh_from_db()
    idea.refresh_from_db()
    assert item.stage == "shipped" and idea.status.kind == "shipped"
    assert client.post(f"{ADMIN}ship/{item.pk}/", {"note": ""}).status_code == 409
    assert client.get(f"{ADMIN}ship/99999/", follow=True).status_code == 404
