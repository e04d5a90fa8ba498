"""The customer voice in a real browser: a customer answers the NPS survey from an email (a score
picked on the scale, or the email's one-click score), a support agent closes the loop on a
detractor's follow-up, a staff member reads the NPS report, and a customer who is due meets the
in-site invitation and puts it off (on a phone and in a right-to-left language too)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.consent import set_consent
from accounts.models import ConsentRecord
from customer_voice.links import survey_url
from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
from customer_voice.models.surveys import SurveyKind
from tests.browser.helpers import log_in
from tests.customer_voice.test_nps_report_service import a_mix
from tests.factories import BROWSER_USER_AGENT, PASSWORD, UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def a_customer(email, name):
    return UserFactory(email=email, display_name=name, feedback_opt_in=True)


def emailed_invitation(customer) -> SurveyInvitation:
    """The NPS invitation a survey run made and emailed (written directly, as the run would)."""
    return SurveyInvitation.objects.create(
        kind=SurveyKind.NPS, user=customer, email=customer.email, language="en", sent_at=timezone.now()
    )


def a_detractor_follow_up(customer, *, score=3, comment="Nobody answered my ticket for a week.") -> FollowUp:
    answer = SurveyResponse.objects.create(
        invitation=emailed_invitation(customer), kind=SurveyKind.NPS, user=customer, score=score, comment=comment
    )
    return FollowUp.objects.create(response=answer, customer=customer)


def an_agent(email="sam@example.com", name="Sam Support"):
    user = UserFactory(email=email, display_name=name)
    user.groups.add(Group.objects.get(name="Support agents"))
    return user


def log_in_to_admin(page, user):
    page.goto("/admin/login/")
    page.locator("input[name='username']").fill(user.email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def score_button(page, score: int):
    """A score on the 0-10 scale (0 and 10 also name their end of the scale for screen readers)."""
    return page.get_by_role("radio", name=re.compile(rf"^{score}\b"))


def answer_the_survey(page, score: int, comment: str):
    score_button(page, score).check()
    page.get_by_label("What is the main reason?").fill(comment)
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/en/feedback/answer/[^/]+/thanks/$"))


# --- The survey of an email ---------------------------------------------------------------------


def test_a_detractor_answers_from_the_email_and_a_follow_up_is_opened(reader):
    customer = a_customer("dana@example.com", "Dana Customer")
    invitation = emailed_invitation(customer)

    reader.goto(survey_url(invitation, absolute=False))
    expect(
        reader.get_by_role("heading", name="How likely are you to recommend us to a friend or colleague?")
    ).to_be_visible()
    expect(reader.get_by_role("radio")).to_have_count(11)
    answer_the_survey(reader, 3, "Nobody answered my ticket for a week.")

    expect(reader.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    expect(reader.get_by_text("We are sorry we did not do better.")).to_be_visible()
    expect(reader.locator("[data-promoter-invitation]")).to_have_count(0)
    answer = SurveyResponse.objects.get(invitation=invitation)
    assert (answer.score, answer.category, answer.comment) == (3, "detractor", "Nobody answered my ticket for a week.")
    assert answer.user == customer
    follow_up = FollowUp.objects.get(response=answer)
    assert (follow_up.state, follow_up.customer) == (FollowUp.State.OPEN, customer)


def test_a_promoter_is_invited_to_tell_their_story_on_the_thanks_page(reader):
    customer = a_customer("lee@example.com", "Lee Customer")
    invitation = emailed_invitation(customer)

    reader.goto(survey_url(invitation, absolute=False))
    answer_the_survey(reader, 10, "Support fixed it in an hour.")

    invited = reader.locator("[data-promoter-invitation]")
    expect(invited).to_be_visible()
    expect(invited).to_contain_text("We are glad you would recommend us.")
    share = invited.get_by_role("link", name="Share your success story")
    expect(share).to_be_visible()
    expect(share).to_have_attribute("href", reverse("stories:share"))
    assert SurveyResponse.objects.get(invitation=invitation).category == "promoter"
    assert not FollowUp.objects.exists()


def test_the_one_click_score_of_the_email_is_saved_at_once_and_a_comment_can_follow(reader):
    customer = a_customer("kim@example.com", "Kim Customer")
    invitation = emailed_invitation(customer)

    reader.goto(survey_url(invitation, score=9, absolute=False))

    # A person's browser (not a mail scanner) records the score on opening, without a click.
    saved = reader.locator("[data-recorded-score]")
    expect(saved).to_be_visible()
    expect(saved).to_have_attribute("data-recorded-score", "9")
    expect(saved).to_contain_text("your score 9 is saved")
    expect(score_button(reader, 9)).to_be_checked()
    answer = SurveyResponse.objects.get(invitation=invitation)
    assert (answer.score, answer.category, answer.comment) == (9, "promoter", "")
    assert SurveyInvitation.objects.get(pk=invitation.pk).answered_at is not None

    reader.get_by_label("What is the main reason?").fill("The forum answers are great.")
    reader.get_by_role("button", name="Send").click()

    expect(reader.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    expect(reader.locator("[data-promoter-invitation]")).to_be_visible()
    answer.refresh_from_db()
    assert (answer.score, answer.comment) == (9, "The forum answers are great.")
    assert SurveyResponse.objects.count() == 1 and not FollowUp.objects.exists()

    # The same link again: answered for good, the score cannot be given twice.
    reader.goto(survey_url(invitation, score=2, absolute=False))
    expect(reader.get_by_role("heading", name="You already answered — thank you")).to_be_visible()
    expect(reader.locator("[data-recorded-score]")).to_have_attribute("data-recorded-score", "9")
    assert SurveyResponse.objects.get().score == 9


# --- Closing the loop ---------------------------------------------------------------------------


def test_an_agent_contacts_the_detractor_then_closes_the_loop_with_a_note(reader):
    customer = a_customer("dana@example.com", "Dana Customer")
    follow_up = a_detractor_follow_up(customer)
    agent = an_agent()

    log_in_to_admin(reader, agent)
    reader.get_by_role("button", name="Support").click()
    reader.get_by_role("link", name="Detractor follow-ups (1)").click()
    reader.wait_for_url("**" + reverse("customer_voice_follow_ups:index"))
    row = reader.locator("table.listing tbody tr", has_text="Dana Customer")
    expect(row).to_contain_text("Nobody answered my ticket for a week.")
    expect(row).to_contain_text("Open")
    row.get_by_role("link", name=re.compile("Dana Customer")).click()

    reader.wait_for_url("**" + reverse("customer_voice_follow_ups:inspect", args=[follow_up.pk]))
    expect(reader.locator("[data-follow-up-comment]")).to_have_text("Nobody answered my ticket for a week.")
    expect(reader.locator("[data-follow-up-score]")).to_have_text("3")
    expect(reader.locator("[data-follow-up-state]")).to_have_text("Open")

    reader.get_by_label("State").select_option(label="Customer contacted")
    reader.get_by_label("Assignee").select_option(label="Sam Support")
    reader.get_by_role("button", name="Save").click()
    expect(reader.get_by_text("The follow-up was saved.")).to_be_visible()
    expect(reader.locator("[data-follow-up-state]")).to_have_text("Customer contacted")
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.assignee, follow_up.closed_at) == (FollowUp.State.CONTACTED, agent, None)

    reader.get_by_label("State").select_option(label="Loop closed")
    reader.get_by_label("What was done").fill("Called Dana; the ticket was stuck in a queue, now answered.")
    reader.get_by_role("button", name="Save").click()
    expect(reader.locator("[data-follow-up-state]")).to_have_text("Loop closed")
    expect(reader.get_by_label("What was done")).to_have_value(
        "Called Dana; the ticket was stuck in a queue, now answered."
    )
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.CLOSED
    assert follow_up.note == "Called Dana; the ticket was stuck in a queue, now answered."
    assert follow_up.closed_at is not None

    # The list shows the follow-ups still to do: the closed one has left it.
    reader.goto(reverse("customer_voice_follow_ups:index"))
    expect(reader.get_by_text("Nobody answered my ticket for a week.")).to_have_count(0)


# --- The report ---------------------------------------------------------------------------------


def test_the_nps_report_shows_the_score_the_answers_imply(reader, settings):
    """An agent's report: the figures of the answers, segmented, without the council's segment."""
    settings.VOICE_MIN_ANSWERS = 1
    answers = a_mix(promoters=2, passives=1, detractors=1, day=timezone.localdate().isoformat(), plan="team")
    detractor = next(answer for answer in answers if answer.score == 3)
    FollowUp.objects.create(response=detractor, state=FollowUp.State.CLOSED, closed_at=timezone.now())
    agent = an_agent()

    log_in_to_admin(reader, agent)
    reader.get_by_role("button", name="Customer voice").click()
    reader.get_by_role("link", name="Net Promoter Score").click()
    reader.wait_for_url("**" + reverse("customer_voice_reports:nps"))

    figures = reader.locator("[data-voice-key-figures]")
    expect(figures).to_be_visible()
    # (2 promoters − 1 detractor) / 4 answers = 25; its 95% margin, 1.96·√((0.75 − 0.25²) / 4), is 81.3.
    assert [text.strip() for text in figures.locator("[data-figure]").all_inner_texts()] == [
        "25 ± 81.3",
        "4",
        "50%",
        "25%",
        "25%",
        "100% of 1 follow-ups (0 open)",
        "Too few answers (n=0)",
    ]
    rows = {}
    for row in reader.locator("table.listing:not([data-voice-chart-data]) tbody tr").all():
        group, segment, *numbers = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        rows[group, segment] = numbers
    expected = ["4", "2 (50%)", "1 (25%)", "1 (25%)", "25 ± 81.3"]
    assert rows["Overall", "All answers"] == expected
    assert rows["Plan", "Team"] == expected
    assert rows["Language", "English"] == expected
    # Who is a council member is the council's: an agent outside it sees no council segment.
    assert not [segment for group, segment in rows if group == "Council"]
    this_month = [numbers for (group, _segment), numbers in rows.items() if group == "Month" and numbers[0] != "0"]
    assert this_month == [expected]


# --- The in-site invitation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("en", DESKTOP), ("en", PHONE), ("fa", PHONE), ("fa", DESKTOP)],
    ids=["en-desktop", "en-phone", "fa-phone", "fa-desktop"],
)
def test_a_due_customer_sees_the_in_site_invitation_and_can_put_it_off(browser, live_server, language, viewport):
    ensure_help_centers()
    customer = UserFactory(email="noor@example.com", display_name="Noor Customer")
    set_consent(customer, ConsentRecord.Topic.FEEDBACK, True, ConsentRecord.Source.PROFILE)
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", user_agent=BROWSER_USER_AGENT, viewport=viewport
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, customer.email)
        page.goto(f"/{language}/")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")

        prompt = page.locator("[data-nps-prompt]")
        expect(prompt).to_be_visible()
        answer = prompt.get_by_role("link")
        expect(answer).to_have_attribute("href", f"/{language}/feedback/nps/")
        dismiss = prompt.locator("form button[type='submit']")
        expect(dismiss).to_be_visible()
        if language == "en":
            expect(answer).to_have_text("Answer two questions")
            expect(dismiss).to_have_text("Not now")
        else:
            assert prompt.evaluate("element => getComputedStyle(element).direction") == "rtl"
        box = prompt.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        dismiss.click()

        page.wait_for_url(re.compile(rf"/{language}/$"))
        expect(page.locator("[data-nps-prompt]")).to_have_count(0)
        page.goto(f"/{language}/support/contact/")
        expect(page.locator("main")).to_be_visible()
        expect(page.locator("[data-nps-prompt]")).to_have_count(0)
        # Putting it off asks nothing and answers nothing.
        assert not SurveyInvitation.objects.filter(user=customer).exists()
    finally:
        context.close()
