"""An account from start to finish in a real browser: sign up, confirm the address, log in."""

import re

import pytest
from django.core import mail

from tests.factories import ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


def test_sign_up_confirm_the_email_and_log_in_to_see_your_name(page):
    ensure_help_centers()

    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("Display name (optional)").fill("Ada Lovelace")
    page.get_by_label("How did you hear about us? (optional)").select_option("friend")
    assert not page.get_by_label("Send me occasional newsletters and community digests").is_checked()
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/en/accounts/login/**")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(re.compile(r"/en/$"))
    assert "Ada Lovelace" in page.locator("header").inner_text()
