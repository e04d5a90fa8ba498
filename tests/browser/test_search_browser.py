"""Searching in a real browser: typeahead suggestions on every search form, by keyboard alone,
in both directions, and the search page the form submits to."""

import pytest
from playwright.sync_api import expect

from kb.models import SearchClick
from tests.factories import ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Headless Chromium says so in its user agent, and search analytics ignores bots; a person's does not.
PERSON_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"

#: How long a reader may wait, after their last keystroke, for the first suggestion.
SUGGESTION_DEADLINE_MS = 1_000


@pytest.fixture
def battery_article():
    ensure_help_centers()
    make_article(
        "Keep your laptop cool",
        category="power",
        category_title="Power & battery",
        body="A warm laptop wears out its battery sooner; keep the vents clear.",
    )
    return make_article(
        "Check the battery status",
        category="power",
        category_title="Power & battery",
        body="Open the Power settings to see how much charge is left in the battery.",
    )


@pytest.fixture
def persian_printer_article():
    ensure_help_centers()
    return make_article(
        "تنظیم چاپگر پیش‌گزیده",
        locale="fa",
        category="printing",
        category_title="چاپ کردن",
        body="چاپگری را که بیش‌تر از همه استفاده می‌کنید به عنوان چاپگر پیش‌گزیده بگزینید.",
    )


def search_box(page):
    """The page's one search input, which the typeahead has made a combobox."""
    return page.get_by_role("combobox")


def test_a_suggestion_appears_as_you_type_and_the_keyboard_opens_it(page, battery_article, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/")
    box = page.get_by_role("combobox", name="Search help articles")
    box.focus()

    page.keyboard.type("how do I check my battery", delay=20)

    suggestion = page.get_by_role("option", name="Check the battery status")
    expect(suggestion).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)
    listbox = page.get_by_role("listbox")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert box.get_attribute("aria-autocomplete") == "list"
    # Matches are highlighted: waited for, since the list may still show the answer to an earlier
    # keystroke ("how do I check my") when the option first appears.
    expect(listbox.locator("mark", has_text="battery").first).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)
    expect(page.get_by_role("option", name="See all results for “how do I check my battery”")).to_be_visible()
    expect(page.locator(".search-form [role='status']")).to_contain_text("Suggestions found: 2")
    page.screenshot(path=str(artifacts_dir / "search-typeahead.png"))

    page.keyboard.press("ArrowDown")
    first_option = listbox.get_by_role("option").first
    expect(first_option).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == first_option.get_attribute("id")
    first_title = first_option.locator(".suggest-title").inner_text()
    page.keyboard.press("Enter")

    page.wait_for_url("**/en/power/**")
    expect(page.locator("h1")).to_have_text(first_title)
    assert first_title == "Check the battery status", "the best match comes first"
    assert page.url.endswith(battery_article.url)


def test_on_a_persian_page_the_suggestions_read_right_to_left(page, persian_printer_article, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/fa/")
    box = search_box(page)
    box.focus()

    page.keyboard.type("چاپگر", delay=20)

    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name="تنظیم چاپگر پیش‌گزیده")).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)
    assert listbox.evaluate("element => getComputedStyle(element).direction") == "rtl"
    list_box, input_box = listbox.bounding_box(), box.bounding_box()
    assert abs((list_box["x"] + list_box["width"]) - (input_box["x"] + input_box["width"])) < 2, (
        "the list starts under the input's right-hand (inline-start) edge"
    )
    title = listbox.locator(".suggest-title").first.bounding_box()
    assert title["x"] + title["width"] > list_box["x"] + list_box["width"] - 40, "titles start on the right"
    page.screenshot(path=str(artifacts_dir / "search-typeahead-fa.png"))

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "چاپگر", "Escape closes the list and keeps what was typed"

    page.keyboard.press("Enter")

    page.wait_for_url("**/fa/search/?q=*")
    expect(page.locator(".search-result").first).to_contain_text("تنظیم چاپگر پیش‌گزیده")
    expect(page.locator(".search-result mark").first).to_have_text("چاپگر")
    first_highlight = page.locator(".search-result mark").first
    assert first_highlight.evaluate("element => getComputedStyle(element).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_the_last_option_submits_the_search_for_what_was_typed(page, battery_article):
    page.goto("/en/")
    search_box(page).focus()
    page.keyboard.type("battery", delay=20)
    expect(page.get_by_role("option").first).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)

    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("option", name="See all results for “battery”")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")

    page.wait_for_url("**/en/search/?q=battery")
    expect(page.locator(".search-summary")).to_contain_text("2 results")
    expect(page.locator(".search-result mark").first).to_have_text("battery")


def test_the_header_search_on_a_phone_suggests_too_and_takes_a_click(page, battery_article, artifacts_dir):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(battery_article.url)
    search_box(page).click()
    page.keyboard.type("laptop cool", delay=20)

    suggestion = page.get_by_role("option", name="Keep your laptop cool")
    expect(suggestion).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)
    listbox = page.get_by_role("listbox").bounding_box()
    assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= 390, "the list fits a phone screen"
    page.screenshot(path=str(artifacts_dir / "search-typeahead-narrow.png"))
    suggestion.click()

    page.wait_for_url("**/en/power/**")
    expect(page.locator("h1")).to_have_text("Keep your laptop cool")


def test_a_chosen_suggestion_is_counted_as_a_click_on_that_result(browser, live_server, battery_article):
    context = browser.new_context(base_url=live_server.url, locale="en-US", user_agent=PERSON_USER_AGENT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/en/")
        search_box(page).focus()
        page.keyboard.type("battery status", delay=20)
        expect(page.get_by_role("option", name="Check the battery status")).to_be_visible(
            timeout=SUGGESTION_DEADLINE_MS
        )

        option = page.get_by_role("option", name="Check the battery status")
        page.keyboard.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")

        # The reader goes on typing while moved into the list: the newer answer re-renders the
        # list, and the option they chose stays the active one.
        with page.expect_response(lambda response: "/api/suggest/" in response.url and "statuses" in response.url):
            page.keyboard.type("es", delay=20)
        expect(option).to_have_attribute("aria-selected", "true")

        with page.expect_request("**/en/search/click/?*"):
            page.keyboard.press("Enter")
        page.wait_for_url(f"**{battery_article.url}")
    finally:
        context.close()

    click = SearchClick.objects.select_related("event").get()
    assert (click.rank, click.url, click.event.source) == (1, battery_article.url, "suggest")


def test_while_search_is_down_the_form_shows_no_suggestions_and_still_submits(page, battery_article):
    page.route(
        "**/api/suggest/**",
        lambda route: route.fulfill(status=503, content_type="application/json", body='{"results": []}'),
    )
    page.goto("/en/")
    box = search_box(page)
    box.focus()

    with page.expect_response("**/api/suggest/**"):
        page.keyboard.type("battery", delay=20)
    page.wait_for_timeout(200)

    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    expect(page.locator(".search-form [role='status']")).to_have_text("")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=battery")


def test_one_character_asks_for_nothing(page, battery_article):
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/api/suggest/" in request.url else None)
    page.goto("/en/")
    search_box(page).focus()

    page.keyboard.type("b")
    page.wait_for_timeout(400)

    assert requests == []
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
