"""The contact form keeps what was typed: a customer who opens a suggested article and comes back
(the Back button, or the article's "Back to the contact form"), or reloads the page, finds the
subject and description as they left them; once the request is sent, the form starts empty."""

import pytest
from playwright.sync_api import expect

from tests.factories import ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTACT = "/en/support/contact/"
SUBJECT = "my wireless keeps dropping"
DESCRIPTION = "Since the last update the connection drops every few minutes.\nRestarting did not help."
EMAIL = "customer@example.com"


@pytest.fixture
def wifi_article():
    ensure_help_centers()
    return make_article(
        "Fix a wireless connection that keeps dropping",
        category="net",
        category_title="Networking",
        body="If the wireless connection drops, turn power saving off for the adapter.",
    )


def type_question(page):
    page.get_by_label("Subject").press_sequentially(SUBJECT, delay=10)
    page.get_by_label("Describe your problem").fill(DESCRIPTION)


def open_the_suggestion(page):
    page.get_by_role("link", name="Fix a wireless connection that keeps dropping").click()
    page.wait_for_url("**/?from_contact=*")
    expect(page.locator("h1")).to_have_text("Fix a wireless connection that keeps dropping")


def expect_the_question_kept(page):
    expect(page.get_by_label("Subject")).to_have_value(SUBJECT)
    expect(page.get_by_label("Describe your problem")).to_have_value(DESCRIPTION)


def test_what_was_typed_survives_a_suggested_article_a_reload_and_is_gone_once_sent(reader, wifi_article):
    reader.goto(CONTACT)
    type_question(reader)
    open_the_suggestion(reader)

    reader.go_back()

    expect_the_question_kept(reader)
    expect(reader.get_by_role("status").filter(has_text="We kept what you typed earlier")).to_be_visible()
    # ... and the suggestions are back too, for the restored text.
    expect(reader.get_by_role("link", name="Fix a wireless connection that keeps dropping")).to_be_visible()

    reader.reload()

    expect_the_question_kept(reader)

    open_the_suggestion(reader)
    reader.get_by_role("link", name="Back to the contact form").click()

    reader.wait_for_url(f"**{CONTACT}")
    expect_the_question_kept(reader)

    reader.get_by_label("Your email address").fill(EMAIL)
    assert EMAIL not in reader.evaluate("JSON.stringify(Object.assign({}, sessionStorage))"), "never stored"
    reader.get_by_role("button", name="Send to support").click()
    expect(reader.get_by_role("heading", name="Thank you, we received your request")).to_be_visible()

    reader.goto(CONTACT)

    expect(reader.get_by_label("Subject")).to_have_value("")
    expect(reader.get_by_label("Describe your problem")).to_have_value("")


def test_a_draft_stays_with_its_tab_and_its_language(reader, wifi_article):
    reader.goto(CONTACT)
    type_question(reader)
    other_tab = reader.context.new_page()

    other_tab.goto(CONTACT)
    reader.goto("/fa/support/contact/")

    expect(other_tab.get_by_label("Subject")).to_have_value("")
    expect(reader.locator("#id_subject")).to_have_value("")
    reader.goto(CONTACT)
    expect_the_question_kept(reader)
