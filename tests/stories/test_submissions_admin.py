"""Story submissions in the Wagtail admin: the listing, the inspect view's one-click draft, and
"Start a story" on a customer (stories.viewsets_submissions)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from stories.models import StoryPage, StorySubmission
from stories.services import submissions as service
from tests.factories import UserFactory
from tests.factories.stories import make_customer
from tests.stories.submission_helpers import ACHIEVEMENT, make_customer_user, make_editor

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_stories_storysubmission:list"
INSPECT = "wagtailsnippets_stories_storysubmission:inspect"
START_DRAFT = "wagtailsnippets_stories_storysubmission:start_draft"
CUSTOMER_EDIT = "wagtailsnippets_stories_customer:edit"
START_STORY = "wagtailsnippets_stories_customer:start_story"


def propose(company="Okapi Freight", language="en", user=None):
    return service.submit(
        user or make_customer_user(),
        company=company,
        role="Head of support",
        language=language,
        achievement=ACHIEVEMENT,
        figures="2 days → 4 hours",
        may_contact=True,
    )


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_editors_see_the_submissions_filtered_by_status(editor_client, story_indexes):
    propose("Okapi Freight")
    drafted = propose("Gazelle Ltd")
    StorySubmission.objects.filter(pk=drafted.pk).update(status=StorySubmission.Status.DRAFTED)

    everything = editor_client.get(reverse(LIST)).content.decode()
    new_only = editor_client.get(reverse(LIST), {"status": "new"}).content.decode()

    assert "Okapi Freight" in everything and "Gazelle Ltd" in everything
    assert "Okapi Freight" in new_only and "Gazelle Ltd" not in new_only


def test_the_listing_runs_a_fixed_number_of_queries(editor_client, story_indexes, django_assert_max_num_queries):
    for n in range(3):
        propose(f"Company {n}")
    editor_client.get(reverse(LIST))  # warm Wagtail's per-process caches
    with django_assert_max_num_queries(40) as few:
        editor_client.get(reverse(LIST))
    for n in range(3, 15):
        propose(f"Company {n}")

    with django_assert_max_num_queries(len(few)):
        response = editor_client.get(reverse(LIST))

    assert response.status_code == 200


def test_the_inspect_view_shows_the_customers_words_and_the_button(editor_client, story_indexes):
    submission = propose()

    html = editor_client.get(reverse(INSPECT, args=[submission.pk])).content.decode()

    assert "We cut our first reply time" in html
    assert f'action="{reverse(START_DRAFT, args=[submission.pk])}"' in html
    assert "Start a draft story" in html


def test_one_click_makes_one_unpublished_draft_in_the_submissions_language_and_opens_the_editor(
    editor_client, story_indexes
):
    submission = propose(language="fa")

    response = editor_client.post(reverse(START_DRAFT, args=[submission.pk]))

    story = StoryPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert not story.live
    assert story.locale.language_code == "fa"
    assert story.get_parent().pk == story_indexes["fa"].pk
    assert editor_client.get(response["Location"]).status_code == 200


def test_a_second_click_opens_the_same_draft(editor_client, story_indexes):
    submission = propose()
    first = editor_client.post(reverse(START_DRAFT, args=[submission.pk]))

    second = editor_client.post(reverse(START_DRAFT, args=[submission.pk]))

    assert second["Location"] == first["Location"]
    assert StoryPage.objects.count() == 1
    inspect = editor_client.get(reverse(INSPECT, args=[submission.pk])).content.decode()
    assert "Open the draft story" in inspect


def test_starting_a_draft_takes_a_post(editor_client, story_indexes):
    submission = propose()

    response = editor_client.get(reverse(START_DRAFT, args=[submission.pk]))

    assert response.status_code == 405
    assert not StoryPage.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "staff_without_group"])
def test_people_who_are_not_editors_cannot_start_a_draft(client, story_indexes, who):
    submission = propose()
    if who == "member":
        client.force_login(make_customer_user())
    elif who == "staff_without_group":
        staff = UserFactory(is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(staff)

    response = client.post(reverse(START_DRAFT, args=[submission.pk]))

    assert response.status_code in (302, 403)
    assert "/pages/" not in response.get("Location", "")
    assert not StoryPage.objects.exists()
    submission.refresh_from_db()
    assert submission.status == StorySubmission.Status.NEW


def test_people_who_are_not_editors_do_not_see_the_submissions(client, story_indexes):
    propose()
    client.force_login(make_customer_user())

    response = client.get(reverse(LIST))

    assert response.status_code == 302
    assert "Okapi Freight" not in response.content.decode()


@pytest.mark.parametrize("pk", [2**31, 2**63, "nope", "-1"])
def test_a_missing_submission_or_customer_is_a_404(editor_client, story_indexes, pk):
    # Django's LocaleMiddleware sends an admin 404 on to the language-prefixed address first.
    assert editor_client.post(reverse(START_DRAFT, args=[pk]), follow=True).status_code == 404
    assert editor_client.post(reverse(START_STORY, args=[pk]), {"language": "en"}, follow=True).status_code == 404
    assert not StoryPage.objects.exists()


# --- Start a story from a customer --------------------------------------------------------------


def test_the_customer_editor_offers_to_start_a_story(editor_client, story_indexes):
    customer = make_customer()

    html = editor_client.get(reverse(CUSTOMER_EDIT, args=[customer.pk])).content.decode()

    assert reverse(START_STORY, args=[customer.pk]) in html


def test_staff_start_a_story_for_a_customer_in_the_chosen_language(editor_client, story_indexes):
    customer = make_customer(contact_language="he")
    url = reverse(START_STORY, args=[customer.pk])
    assert 'value="he" selected' in editor_client.get(url).content.decode()

    response = editor_client.post(url, {"language": "ru"})

    story = StoryPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert (story.customer, story.locale.language_code, story.live) == (customer, "ru", False)


@pytest.mark.parametrize("language", ["xx", "", "en\x00"])
def test_an_unknown_language_is_a_400_and_writes_nothing(editor_client, story_indexes, language):
    response = editor_client.post(reverse(START_STORY, args=[make_customer().pk]), {"language": language})

    assert response.status_code == 400
    assert not StoryPage.objects.exists()


def test_a_member_cannot_start_a_story_for_a_customer(client, story_indexes):
    client.force_login(make_customer_user())

    response = client.post(reverse(START_STORY, args=[make_customer().pk]), {"language": "en"})

    assert response.status_code == 302
    assert not StoryPage.objects.exists()


def test_no_one_adds_a_submission_in_the_admin_not_even_a_superuser(client, story_indexes):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse(LIST)).content.decode()
    response = client.post(reverse("wagtailsnippets_stories_storysubmission:add"), {"status": "new"})

    assert reverse("wagtailsnippets_stories_storysubmission:add") not in listing
    assert response.status_code in (302, 403)
    assert not StorySubmission.objects.exists()


def test_editors_decline_a_submission_by_its_status(editor_client, story_indexes):
    submission = propose()
    edit = reverse("wagtailsnippets_stories_storysubmission:edit", args=[submission.pk])
    assert editor_client.get(edit).status_code == 200

    editor_client.post(edit, {"status": "declined"})

    submission.refresh_from_db()
    assert submission.status == StorySubmission.Status.DECLINED
    assert submission.achievement == ACHIEVEMENT
