"""Sign-up, log-in and profile look like the rest of the site on a phone and a desktop, left to
right and right to left: each checkbox sits beside its label (a choice, not a heading), fields are
spaced apart, buttons wear the site's style, and nothing scrolls sideways."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ["en", "fa"]
WIDTHS = [390, 1280]
#: The site's accent colour (static/css/site.css, --color-accent) as the browser computes it.
ACCENT = "rgb(26, 95, 180)"


def checkbox_rows(page) -> list[dict]:
    """Each checkbox field's box and label: their vertical overlap, sides and label weight."""
    return page.eval_on_selector_all(
        ".field-checkbox",
        """fields => fields.map(field => {
            const box = field.querySelector("input[type=checkbox]").getBoundingClientRect();
            const label = field.querySelector("label");
            const text = label.getBoundingClientRect();
            return {
                sameLine: box.top < text.bottom && text.top < box.bottom && Math.abs(box.top - text.top) < 12,
                boxBeforeLabel: document.dir === "rtl" ? box.left >= text.right - 1 : box.right <= text.left + 1,
                labelWeight: Number(getComputedStyle(label).fontWeight),
            };
        })""",
    )


def check_layout(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button = page.locator("form.form button[type=submit]").last
    style = button.evaluate(
        "b => ({bg: getComputedStyle(b).backgroundColor, radius: getComputedStyle(b).borderRadius})"
    )
    assert style["bg"] == ACCENT
    assert style["radius"] != "0px"
    gaps = page.eval_on_selector_all(
        "form.form .field",
        """fields => fields.slice(1).map((field, i) =>
            field.getBoundingClientRect().top - fields[i].getBoundingClientRect().bottom)""",
    )
    assert gaps and min(gaps) >= 12, gaps


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_up_page_offers_the_newsletter_as_a_choice_beside_its_box(reader, language, width):
    ensure_help_centers()
    reader.set_viewport_size({"width": width, "height": 900})

    reader.goto(f"/{language}/accounts/signup/")

    rows = checkbox_rows(reader)
    with translation.override(language):
        newsletter = gettext("Send me occasional newsletters and community digests")
    assert reader.get_by_label(newsletter).is_visible()
    assert rows and all(row["sameLine"] and row["boxBeforeLabel"] for row in rows), rows
    assert all(row["labelWeight"] < 600 for row in rows), rows
    check_layout(reader, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_log_in_page_is_spaced_and_styled(reader, language, width):
    ensure_help_centers()
    reader.set_viewport_size({"width": width, "height": 900})

    reader.goto(f"/{language}/accounts/login/")

    assert all(row["sameLine"] and row["boxBeforeLabel"] for row in checkbox_rows(reader))
    check_layout(reader, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_profile_page_puts_each_consent_box_beside_its_label(reader, language, width):
    ensure_help_centers()
    user = UserFactory()
    log_in(reader, user.email)
    reader.set_viewport_size({"width": width, "height": 900})

    reader.goto(f"/{language}/accounts/profile/")

    rows = checkbox_rows(reader)
    assert rows and all(row["sameLine"] and row["boxBeforeLabel"] for row in rows), rows
    assert all(row["labelWeight"] < 600 for row in rows), rows
    check_layout(reader, width)
