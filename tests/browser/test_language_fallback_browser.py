"""A language without articles in a real browser: Hebrew shows the English help center, marked and
laid out left to right inside the right-to-left page, and the switcher says on a phone and on a
desktop which languages an article exists in."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def hebrew(message: str) -> str:
    with translation.override("he"):
        return translation.gettext(message)


@pytest.fixture
def english_only():
    ensure_help_centers()
    return {
        "wifi": make_article(
            "Connect to a wireless network", translation_key="wifi", category="net", category_title="Networking"
        ),
        "printer": make_article("Set up a printer", category="printing", category_title="Printing"),
    }


def direction(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def test_the_hebrew_help_center_shows_the_english_articles_left_to_right_with_a_notice(
    page, english_only, artifacts_dir
):
    page.set_viewport_size(DESKTOP)

    page.goto("/he/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    notice = page.get_by_role("status").filter(has_text=hebrew("English"))
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(hebrew("Hebrew"))
    expect(page.get_by_text(hebrew("Nothing yet."), exact=True)).to_have_count(0)
    article = page.locator(".link-list").get_by_role("link", name="Connect to a wireless network")
    expect(article).to_be_visible()
    assert direction(article) == "ltr"
    topic = page.get_by_role("link", name="Networking")
    assert direction(topic) == "ltr"
    card, title = topic.locator("xpath=ancestor::li[1]").bounding_box(), topic.bounding_box()
    assert title["x"] - card["x"] < card["width"] / 2, "an English title starts on the left of its card"
    item = article.locator("xpath=ancestor::li[1]")
    updated = item.locator(".meta span[lang='he']")
    assert direction(updated) == "rtl", "the date line is Hebrew"
    assert updated.bounding_box()["x"] - item.bounding_box()["x"] < item.bounding_box()["width"] / 2, (
        "the Hebrew date line stays on the English list's side"
    )
    page.screenshot(path=str(artifacts_dir / "language-fallback-he-home.png"), full_page=True)

    article.click()

    page.wait_for_url(f"**{english_only['wifi'].url}")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_switcher_says_which_languages_an_article_exists_in(page, english_only, viewport, artifacts_dir):
    make_article("Подключение к беспроводной сети", locale="ru", translation_key="wifi")
    make_article("چاپگر", locale="fa", category="printing", category_title="چاپ")
    page.set_viewport_size(viewport)
    page.goto(english_only["wifi"].url)

    opener = ".site-header .menu-button" if viewport is PHONE else ".site-header .language-button"
    page.locator(opener).click()

    switcher = page.get_by_role("navigation", name="Language")
    expect(switcher.get_by_role("link", name="Русский", exact=True)).to_be_visible()
    expect(switcher.get_by_role("link", name="فارسی (not translated)", exact=True)).to_be_visible()
    expect(switcher.get_by_role("link", name="עברית (no articles yet)", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "the open switcher fits"
    page.screenshot(path=str(artifacts_dir / f"language-switcher-notes-{viewport['width']}.png"))

    switcher.get_by_role("link", name=re.compile("^עברית")).click()

    page.wait_for_url("**/he/")
    expect(page.get_by_role("status").filter(has_text=hebrew("English"))).to_be_visible()
