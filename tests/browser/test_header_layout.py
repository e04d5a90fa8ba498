"""The site header in every language: one compact row on a phone, where a menu button opens the
navigation and the language switcher, and one row on a desktop, however long the words, where the
languages and a member's account are small menus. Without JavaScript every link stays in reach."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 800}

#: A phone header with its menu closed: one row of touch targets and little more.
PHONE_HEADER_MAX_HEIGHT = 72
#: A desktop header: one row.
DESKTOP_HEADER_MAX_HEIGHT = 80

ARTICLE_TITLES = {
    "en": "Connect to a wireless network",
    "ru": "Подключение к беспроводной сети",
    "fa": "اتصال به شبکهٔ بی‌سیم",
    "he": "התחברות לרשת אלחוטית",
}


@pytest.fixture
def pages_in_every_language():
    """The help-center home and an article (whose header also holds the search) per language."""
    ensure_help_centers()
    pages = {}
    for language in LANGUAGES:
        article = make_article(ARTICLE_TITLES[language], locale=language, translation_key="wifi", category="net")
        pages[language] = {"home": f"/{language}/", "article": article.url}
    return pages


def nav_link_names(language):
    """The links of the main navigation a desktop shows (its "Sign up" is on the log-in page)."""
    with translation.override(language):
        return [gettext("Help articles"), gettext("Community"), gettext("Contact support"), gettext("Log in")]


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def header_item_boxes(page) -> dict:
    """The bounding box of every visible item in the header row, keyed by a readable name."""
    items = {
        "brand": page.locator(".brand"),
        "search": page.locator(".header-search"),
        "menu button": page.locator(".site-header .menu-button"),
        "languages": page.locator(".language-menu"),
        "account": page.locator(".site-header .account-button"),
    }
    boxes = {name: locator.bounding_box() for name, locator in items.items() if locator.is_visible()}
    for index, item in enumerate(page.locator(".site-nav li").all()):
        if item.is_visible():
            boxes[f"nav item {index + 1} ({item.inner_text().strip()})"] = item.bounding_box()
    return boxes


def assert_on_one_row(boxes: dict):
    """Items share one row when some horizontal line crosses every one of them."""
    lowest_top = max(boxes.items(), key=lambda item: item[1]["y"])
    highest_bottom = min(boxes.items(), key=lambda item: item[1]["y"] + item[1]["height"])
    assert lowest_top[1]["y"] < highest_bottom[1]["y"] + highest_bottom[1]["height"], (
        f"{lowest_top[0]} starts below the end of {highest_bottom[0]}: the header wraps ({boxes})"
    )


def assert_inside_the_window(boxes: dict, width: int):
    for name, box in boxes.items():
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} leaves the window: {box}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_desktop_the_header_is_one_row(page, pages_in_every_language, language, artifacts_dir):
    page.set_viewport_size(DESKTOP)

    for kind, url in pages_in_every_language[language].items():
        page.goto(url)

        boxes = header_item_boxes(page)
        assert "menu button" not in boxes, "a desktop shows the navigation itself"
        assert {"brand", "languages"} <= boxes.keys()
        assert len([name for name in boxes if name.startswith("nav item")]) == 4
        assert_on_one_row(boxes)
        assert_inside_the_window(boxes, DESKTOP["width"])
        assert header_height(page) <= DESKTOP_HEADER_MAX_HEIGHT, f"{kind}: {header_height(page)} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], "nothing overflows"
        page.locator(".site-header").screenshot(path=str(artifacts_dir / f"header-{language}-desktop-{kind}.png"))


@pytest.mark.parametrize("language", ["ru", "fa"])
def test_on_a_desktop_the_languages_are_a_menu_that_escape_closes(
    page, pages_in_every_language, language, artifacts_dir
):
    page.set_viewport_size(DESKTOP)
    page.goto(pages_in_every_language[language]["article"])
    button = page.locator(".site-header .language-button")
    switcher = page.locator(f"#{button.get_attribute('aria-controls')}")
    expect(switcher).to_be_hidden()

    button.click()

    expect(button).to_have_attribute("aria-expanded", "true")
    for code in LANGUAGES:
        expect(switcher.locator(f"a[hreflang='{code}']")).to_be_visible()
    box = switcher.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], "the menu opens inside the window"
    page.screenshot(path=str(artifacts_dir / f"header-{language}-desktop-languages.png"))

    page.keyboard.press("Tab")
    expect(switcher.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")

    expect(switcher).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    button.click()
    switcher.locator("a[hreflang='en']").click()
    page.wait_for_url(f"**{pages_in_every_language['en']['article']}")


def test_on_a_desktop_a_member_with_a_long_name_still_gets_one_row_in_russian(
    page, pages_in_every_language, artifacts_dir
):
    member = UserFactory(display_name="Константин Константинопольский-Щедрин")
    page.set_viewport_size(DESKTOP)
    log_in(page, member.email)

    page.goto(pages_in_every_language["ru"]["article"])

    boxes = header_item_boxes(page)
    assert_on_one_row(boxes)
    assert_inside_the_window(boxes, DESKTOP["width"])
    assert header_height(page) <= DESKTOP_HEADER_MAX_HEIGHT
    account = page.locator(".site-header").get_by_role("button", name=member.display_name)
    page.locator(".site-header").screenshot(path=str(artifacts_dir / "header-ru-desktop-member.png"))

    account.click()

    expect(page.get_by_role("link", name=member.display_name)).to_be_visible()
    with translation.override("ru"):
        expect(page.get_by_role("button", name=gettext("Log out"))).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "header-ru-desktop-member-menu.png"))
    page.keyboard.press("Escape")
    expect(account).to_have_attribute("aria-expanded", "false")
    expect(account).to_be_focused()


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_header_is_one_row_and_a_menu_button_opens_the_navigation(
    page, pages_in_every_language, language, artifacts_dir
):
    page.set_viewport_size(PHONE)
    links = nav_link_names(language)
    with translation.override(language):
        menu_label = gettext("Menu")
        links.append(gettext("Sign up"))

    for kind, url in pages_in_every_language[language].items():
        page.goto(url)
        menu_button = page.locator(".site-header").get_by_role("button", name=menu_label)
        expect(menu_button).to_be_visible()
        menu = page.locator(f"#{menu_button.get_attribute('aria-controls')}")

        assert header_height(page) <= PHONE_HEADER_MAX_HEIGHT, f"{kind}: {header_height(page)} px"
        assert_on_one_row(header_item_boxes(page))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing overflows"
        expect(menu).to_be_hidden()
        page.screenshot(path=str(artifacts_dir / f"header-{language}-phone-{kind}.png"))

        menu_button.click()

        expect(menu_button).to_have_attribute("aria-expanded", "true")
        for name in links:
            expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
        for code in LANGUAGES:
            expect(menu.locator(f".language-switcher a[hreflang='{code}']")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the open menu fits"
        page.screenshot(path=str(artifacts_dir / f"header-{language}-phone-{kind}-menu.png"))

        page.keyboard.press("Tab")
        expect(menu.get_by_role("link", name=links[0], exact=True)).to_be_focused()
        page.keyboard.press("Escape")

        expect(menu).to_be_hidden()
        expect(menu_button).to_have_attribute("aria-expanded", "false")
        expect(menu_button).to_be_focused()


def test_on_a_phone_without_javascript_the_navigation_is_still_reachable(browser, live_server, pages_in_every_language):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(pages_in_every_language["ru"]["article"])

        expect(page.locator(".site-header .menu-button")).to_be_hidden()
        for name in nav_link_names("ru"):
            expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.locator(".language-switcher a[hreflang='en']")).to_be_visible()
        expect(page.get_by_role("combobox").or_(page.get_by_role("searchbox"))).to_be_visible()
    finally:
        context.close()
