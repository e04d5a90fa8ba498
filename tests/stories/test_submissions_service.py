"""stories.services.submissions: proposing a story, and the drafts staff start from a submission
or a customer (the entry point the NPS follow-up will call for promoters)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.utils import timezone
from wagtail.models import PageLogEntry

from sitewide.errors import ActionRefused
from stories.models import Customer, StoryPage, StorySubmission
from stories.services import submissions as service
from tests.factories.stories import make_customer, make_story
from tests.stories.submission_helpers import ACHIEVEMENT, make_customer_user, make_editor

pytestmark = pytest.mark.django_db


def propose(user, **overrides):
    fields = {
        "company": "Okapi Freight",
        "role": "Head of support",
        "language": "en",
        "achievement": ACHIEVEMENT,
        "figures": "First reply: 2 days → 4 hours",
        "may_contact": True,
    }
    return service.submit(user, **{**fields, **overrides})


# --- submit --------------------------------------------------------------------------------------


def test_a_customer_proposes_a_story_in_their_words():
    user = make_customer_user()

    submission = propose(user, company="  Okapi\u202e Freight ", achievement=ACHIEVEMENT + "\r\n")

    assert submission.status == StorySubmission.Status.NEW
    assert submission.submitted_by == user
    assert submission.company == "Okapi Freight"
    assert submission.achievement == ACHIEVEMENT
    assert submission.may_contact is True


@pytest.mark.parametrize(
    "overrides",
    [
        {"company": "Okapi\x00"},
        {"achievement": ACHIEVEMENT + "\x00"},
        {"figures": "\x00"},
        {"company": ""},
        {"company": "x" * 121},
        {"role": "x" * 121},
        {"achievement": "Too short."},
        {"achievement": "x" * 5001},
        {"figures": "x" * 2001},
        {"language": "xx"},
    ],
    ids=lambda overrides: next(iter(overrides)),
)
def test_hostile_or_huge_input_is_refused_and_nothing_is_written(overrides):
    with pytest.raises(ActionRefused):
        propose(make_customer_user(), **overrides)

    assert not StorySubmission.objects.exists()


def test_an_anonymous_visitor_cannot_propose_a_story():
    with pytest.raises(ActionRefused) as refused:
        propose(AnonymousUser())

    assert refused.value.status == 403


def test_a_second_open_submission_for_the_same_company_within_a_day_is_a_duplicate():
    user = make_customer_user()
    propose(user)

    with pytest.raises(ActionRefused) as refused:
        propose(user, company="OKAPI freight")

    assert refused.value.status == 409
    assert StorySubmission.objects.count() == 1


def test_the_same_company_may_be_proposed_again_after_a_day_or_by_someone_else():
    user = make_customer_user()
    first = propose(user)
    StorySubmission.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))

    propose(user)
    propose(make_customer_user())

    assert StorySubmission.objects.count() == 3


# --- start_draft_from_submission -----------------------------------------------------------------


def test_a_draft_from_a_submission_is_an_unpublished_story_in_its_language(story_indexes):
    submission = propose(make_customer_user(), language="ru", company="Окапи")
    editor = make_editor()

    story = service.start_draft_from_submission(submission, by=editor)

    story.refresh_from_db()
    assert not story.live
    assert story.get_parent().specific == story_indexes["ru"]
    assert story.locale.language_code == "ru"
    assert story.headline == "We cut our first reply time from two days to four hours."
    assert "help center answers most questions" in story.challenge
    assert "2 days → 4 hours" in story.results
    assert story.latest_revision is not None
    submission.refresh_from_db()
    assert submission.status == StorySubmission.Status.DRAFTED
    assert submission.story_id == story.pk
    assert submission.handled_by == editor
    assert PageLogEntry.objects.filter(page=story, action=service.DRAFT_STARTED).count() == 1


def test_a_second_click_opens_the_same_draft(story_indexes):
    submission = propose(make_customer_user())
    editor = make_editor()

    first = service.start_draft_from_submission(submission, by=editor)
    second = service.start_draft_from_submission(submission, by=editor)

    assert first.pk == second.pk
    assert StoryPage.objects.count() == 1


def test_the_customer_is_found_by_name_in_any_case(story_indexes):
    customer = make_customer("Okapi Freight")
    submission = propose(make_customer_user(), company="okapi FREIGHT")

    story = service.start_draft_from_submission(submission, by=make_editor())

    assert story.customer == customer
    assert Customer.objects.count() == 1


def test_a_new_customer_gets_placeholders_and_the_submitter_as_contact_if_allowed(story_indexes):
    user = make_customer_user(display_name="Dana", email="dana@example.com")
    submission = propose(user, company="Gazelle Ltd", language="he")

    customer = service.start_draft_from_submission(submission, by=make_editor()).customer

    assert customer.name == "Gazelle Ltd"
    assert (customer.industry, customer.company_size) == ("other", "small")
    assert customer.region in Customer.Region.values
    assert (customer.contact_name, customer.contact_email, customer.contact_language) == (
        "Dana",
        "dana@example.com",
        "he",
    )


def test_a_submitter_who_did_not_allow_contact_is_not_made_the_contact(story_indexes):
    submission = propose(make_customer_user(), company="Gazelle Ltd", may_contact=False)

    customer = service.start_draft_from_submission(submission, by=make_editor()).customer

    assert (customer.contact_name, customer.contact_email) == ("", "")


def test_someone_who_may_not_add_stories_cannot_start_a_draft(story_indexes):
    submission = propose(make_customer_user())

    with pytest.raises(ActionRefused) as refused:
        service.start_draft_from_submission(submission, by=make_customer_user())

    assert refused.value.status == 403
    assert not StoryPage.objects.exists()
    submission.refresh_from_db()
    assert submission.status == StorySubmission.Status.NEW


# --- start_draft_for_customer --------------------------------------------------------------------


def test_staff_start_a_draft_story_for_a_customer(story_indexes):
    customer = make_customer("Okapi Freight")

    story = service.start_draft_for_customer(customer, make_editor(), "fa")

    assert not story.live
    assert story.customer == customer
    assert story.get_parent().specific == story_indexes["fa"]
    assert PageLogEntry.objects.get(page=story, action=service.DRAFT_STARTED).data == {"source": "staff"}


def test_an_open_draft_for_the_customer_in_that_language_is_reused(story_indexes):
    customer = make_customer()
    editor = make_editor()
    first = service.start_draft_for_customer(customer, editor, "en")

    again = service.start_draft_for_customer(customer, editor, "en")
    other_language = service.start_draft_for_customer(customer, editor, "ru")

    assert again.pk == first.pk
    assert other_language.pk != first.pk


def test_a_published_story_does_not_stop_a_new_draft(story_indexes):
    customer = make_customer()
    published = make_story(customer=customer)

    story = service.start_draft_for_customer(customer, make_editor(), "en")

    assert story.pk != published.pk


def test_code_the_site_trusts_starts_a_draft_without_a_user_and_says_where_from(story_indexes):
    story = service.start_draft_for_customer(make_customer(), None, "en", source=service.SOURCE_NPS)

    assert PageLogEntry.objects.get(page=story, action=service.DRAFT_STARTED).data == {"source": "nps"}


@pytest.mark.parametrize("language", ["xx", ""])
def test_an_unknown_language_is_refused(story_indexes, language):
    with pytest.raises(ActionRefused):
        service.start_draft_for_customer(make_customer(), make_editor(), language)

    assert not StoryPage.objects.exists()


def test_a_member_without_page_permissions_cannot_start_a_story_for_a_customer(story_indexes):
    with pytest.raises(ActionRefused) as refused:
        service.start_draft_for_customer(make_customer(), make_customer_user(), "en")

    assert refused.value.status == 403
    assert not StoryPage.objects.exists()


# --- who may -------------------------------------------------------------------------------------


def test_editors_hold_the_submission_and_customer_permissions_after_migrate():
    granted = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))

    assert granted >= {"view_storysubmission", "change_storysubmission", "view_customer", "change_customer"}
    assert "add_storysubmission" not in granted


def test_granting_twice_changes_nothing():
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(*Permission.objects.filter(codename__endswith="storysubmission"))

    service.grant_staff_permissions()
    once = set(editors.permissions.values_list("pk", flat=True))
    service.grant_staff_permissions()

    assert set(editors.permissions.values_list("pk", flat=True)) == once
    assert {"view_storysubmission", "change_storysubmission"} <= set(
        editors.permissions.values_list("codename", flat=True)
    )
