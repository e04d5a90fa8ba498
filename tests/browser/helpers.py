"""Steps several browser tests take."""

import re

from tests.factories import PASSWORD


def log_in(page, email):
    """Log in on the public site as a factory-made user; lands on the English home page."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))
