"""The customer approves a story through the emailed link: what is written, and what is refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from stories.models import ApprovalLink, Consent, ConsentEvent, StoryPage
from tests.factories.stories import make_story
from tests.stories.consent_helpers import QUOTES, draft_story, last_link, submit_and_review

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>\x00'


def approve_form(story, **fields):
    data = {"decision": "approve", "name": "Dana Levi", "show_name": "on", "quotes": [story.quotes[0].id]}
    return {**data, **fields}


def test_after_review_the_customer_is_emailed_a_link_in_their_language(story_indexes):
    story = submit_and_review(draft_story())

    [message] = mail.outbox
    path, token = last_link()
    assert message.to == ["dana@acme.example"]
    assert path.startswith("/he/stories/approve/")
    link = ApprovalLink.objects.get()
    assert link.token_hash != token and len(link.token_hash) == 64
    assert link.revision_id == story.latest_revision_id


def test_approving_publishes_the_exact_revision_and_records_the_consent(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()

    response = client.post(path, approve_form(story))

    assert response.status_code == 200
    story = StoryPage.objects.get(pk=story.pk)
    consent = Consent.objects.get(story=story)
    assert story.live and story.live_revision_id == consent.approved_revision_id
    assert (consent.show_name, consent.show_logo, consent.quote_ids) == (True, False, [story.quotes[0].id])
    assert consent.approved_by_name == "Dana Levi" and consent.approved_by_email == "dana@acme.example"
    [event] = ConsentEvent.objects.all()
    assert event.kind == ConsentEvent.Kind.GRANTED and event.revision_id == consent.approved_revision_id
    assert "/stories/withdraw/" in mail.outbox[-1].body


def test_the_approval_page_shows_the_revision_privately_in_a_fixed_number_of_queries(
    client, story_indexes, django_assert_max_num_queries
):
    story = submit_and_review(draft_story())
    path, _token = last_link()

    with django_assert_max_num_queries(40):
        response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    content = response.content.decode()
    assert "Acme halves its tickets" in content and "We sleep at night." in content
    assert story.quotes[1].id in content


def test_requesting_changes_rejects_the_task_and_records_the_comment(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()

    response = client.post(path, {"decision": "changes", "name": "Dana", "comment": "Fix the figures"})

    assert response.status_code == 200
    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live
    assert story.current_workflow_state.status == "needs_changes"
    [event] = ConsentEvent.objects.all()
    assert (event.kind, event.comment) == (ConsentEvent.Kind.CHANGES_REQUESTED, "Fix the figures")
    assert not Consent.objects.exists()


def test_staff_cannot_approve_the_customers_task_in_the_admin(story_indexes):
    story = submit_and_review(draft_story())

    task = story.current_workflow_task
    assert task.get_actions(story, None) == []


# --- Bad links: a clear message, nothing written -----------------------------------------------


def assert_nothing_written(story):
    assert not Consent.objects.filter(story=story).exists()
    assert not ConsentEvent.objects.filter(story=story).exists()
    assert not StoryPage.objects.get(pk=story.pk).live


def test_a_forged_link_is_refused(client, story_indexes):
    story = submit_and_review(draft_story())

    response = client.post("/en/stories/approve/forged-token/", approve_form(story))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert_nothing_written(story)


def test_a_used_link_is_refused(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()
    client.post(path, {"decision": "changes", "name": "Dana", "comment": "No"})

    response = client.post(path, approve_form(story))

    assert response.status_code == 410
    assert in_links_language("This link has already been used.") in response.content.decode()
    assert not Consent.objects.exists()


def test_an_expired_link_is_refused(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()
    ApprovalLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(path, approve_form(story))

    assert response.status_code == 410
    assert in_links_language("This link has expired. Ask the team to send you a new one.") in response.content.decode()
    assert_nothing_written(story)


def test_a_link_to_a_revision_that_changed_is_refused(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()
    story.headline = "Changed after the link was sent"
    story.save_revision()

    response = client.get(path)

    assert response.status_code == 409
    changed = (
        "The story has changed since this link was sent, so it cannot be approved from it. "
        "The team will send you the new version."
    )
    assert in_links_language(changed) in response.content.decode()
    assert_nothing_written(story)


def test_another_storys_quote_or_a_withdrawal_link_cannot_approve(client, story_indexes):
    story = submit_and_review(draft_story())
    path, _token = last_link()
    other = make_story(quotes=QUOTES)

    foreign_quote = client.post(path, approve_form(story, quotes=[other.quotes[0].id]))
    wrong_purpose = client.post(path.replace("/approve/", "/withdraw/"), {"confirm": "on"})

    assert foreign_quote.status_code == 400
    assert wrong_purpose.status_code == 404
    assert_nothing_written(story)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": HOSTILE},
        {"name": "x" * 5000},
        {"comment": "y" * 10_000},
        {"expires_on": "1999-01-01"},
        {"decision": "publish-now"},
        {"decision": "changes", "comment": ""},
    ],
)
def test_hostile_or_huge_input_is_refused_and_nothing_is_written(client, story_indexes, fields):
    story = submit_and_review(draft_story())
    path, _token = last_link()

    response = client.post(path, approve_form(story, **fields))

    assert response.status_code == 400
    assert_nothing_written(story)
    assert "<script>alert" not in response.content.decode()


def test_wrong_links_are_rate_limited(client, story_indexes):
    codes = [client.get(f"/en/stories/approve/guess-{n}/").status_code for n in range(7)]

    assert codes[:5] == [404] * 5 and codes[-1] == 429


def test_the_expire_command_needs_its_flag(story_indexes):
    with pytest.raises(Exception, match="--expire"):
        call_command("stories_consent")


def in_links_language(message: str) -> str:
    """A refusal as the customer reads it: in the contact's language (Hebrew in these tests)."""
    with translation.override("he"):
        return gettext(message)
