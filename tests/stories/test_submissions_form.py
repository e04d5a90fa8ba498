"""The public "Share your story" form at /<lang>/stories/share/ (stories.views_submissions)."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from stories.models import StorySubmission
from tests.factories import BROWSER_HEADERS
from tests.stories.submission_helpers import make_customer_user, submission_data

pytestmark = pytest.mark.django_db

SHARE = "/en/stories/share/"


@pytest.fixture
def member_client(client):
    client.force_login(make_customer_user())
    return client


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(SHARE, **BROWSER_HEADERS)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=/en/stories/share/" in response["Location"]


def test_an_anonymous_post_writes_nothing(client):
    response = client.post(SHARE, submission_data(), **BROWSER_HEADERS)

    assert response.status_code == 302
    assert not StorySubmission.objects.exists()


def test_the_form_is_shown_to_a_logged_in_customer_in_a_fixed_number_of_queries(
    member_client, help_centers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = member_client.get(SHARE, **BROWSER_HEADERS)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="achievement"' in html


def test_a_logged_in_customer_submits_a_story_in_the_page_language(member_client, help_centers):
    response = member_client.post("/ru/stories/share/", submission_data(), **BROWSER_HEADERS)

    assert response.status_code == 302
    assert response["Location"] == "/ru/stories/share/thanks/"
    submission = StorySubmission.objects.get()
    assert (submission.company, submission.language, submission.may_contact) == ("Okapi Freight", "ru", True)
    assert member_client.get(response["Location"], **BROWSER_HEADERS).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"company": "Okapi\x00Freight"},
        {"achievement": "We did it\x00 and more and more and more."},
        {"company": ""},
        {"achievement": ""},
        {"achievement": "x" * 20_000},
        {"company": "x" * 500},
        {"figures": "x" * 2001},
        {"achievement": "Too short."},
        {"company": "\u202e\u202e\u202e"},
    ],
    ids=["nul-company", "nul-achievement", "no-company", "no-achievement", "huge", "long-company", "long-figures",
         "short", "only-bidi"],
)  # fmt: skip
def test_hostile_or_huge_input_gets_a_message_and_writes_nothing(member_client, help_centers, overrides):
    response = member_client.post(SHARE, submission_data(**overrides), **BROWSER_HEADERS)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not StorySubmission.objects.exists()


def test_a_duplicate_gets_a_clear_409_and_writes_nothing_more(member_client, help_centers):
    member_client.post(SHARE, submission_data(), **BROWSER_HEADERS)

    response = member_client.post(SHARE, submission_data(), **BROWSER_HEADERS)

    assert response.status_code == 409
    assert "You already proposed a story about Okapi Freight today" in response.content.decode()
    assert StorySubmission.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused(help_centers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_customer_user())

    response = client.post(SHARE, submission_data(), **BROWSER_HEADERS)

    assert response.status_code == 403
    assert not StorySubmission.objects.exists()


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "story_submission": (2, 600)})
def test_submits_are_rate_limited(member_client, help_centers):
    for company in ("One", "Two"):
        member_client.post(SHARE, submission_data(company=company), **BROWSER_HEADERS)

    response = member_client.post(SHARE, submission_data(company="Three"), **BROWSER_HEADERS)

    assert response.status_code == 429
    assert StorySubmission.objects.count() == 2


def test_the_story_index_invites_customers_to_share_their_story(client, story_indexes):
    response = client.get("/en/stories/", **BROWSER_HEADERS)

    assert response.status_code == 200
    assert 'href="/en/stories/share/"' in response.content.decode()
