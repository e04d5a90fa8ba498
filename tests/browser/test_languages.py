"""Languages in a real browser: right-to-left layout for Persian and Hebrew, and the switcher."""

import pytest

from tests.factories import ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def translated_article():
    ensure_help_centers()
    english = make_article(
        "Connect to a wireless network",
        translation_key="wifi-connect",
        category="net",
        category_title="Networking",
        body="Open the system menu and choose Wi-Fi.",
    )
    russian = make_article(
        "Подключение к беспроводной сети",
        locale="ru",
        translation_key="wifi-connect",
        category="net",
        category_title="Сеть",
        body="Откройте системное меню и выберите Wi-Fi.",
    )
    persian = make_article(
        "اتصال به شبکهٔ بی‌سیم",
        locale="fa",
        translation_key="wifi-connect",
        category="net",
        category_title="شبکه",
        body="منوی سامانه را باز کنید و وای‌فای را برگزینید.",
    )
    return {"en": english, "ru": russian, "fa": persian}


def choose_language(page, code):
    """Pick a language in the header: on a desktop the switcher is a menu under a button."""
    page.locator(".language-button").click()
    page.locator(f".language-switcher a[hreflang='{code}']").click()


def brand_is_on_the_right(page) -> bool:
    box = page.locator(".brand").bounding_box()
    width = page.viewport_size["width"]
    return box["x"] + box["width"] / 2 > width / 2


def test_persian_and_hebrew_pages_render_right_to_left_and_mirror(page, translated_article, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(translated_article["en"].url)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert not brand_is_on_the_right(page)

    page.goto(translated_article["fa"].url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("h1").inner_text() == "اتصال به شبکهٔ بی‌سیم"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert brand_is_on_the_right(page)
    fa_shot = artifacts_dir / "rtl-fa-article.png"
    page.screenshot(path=str(fa_shot), full_page=True)

    page.goto("/he/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "he"
    assert brand_is_on_the_right(page)
    he_shot = artifacts_dir / "rtl-he-home.png"
    page.screenshot(path=str(he_shot), full_page=True)

    assert fa_shot.stat().st_size > 10_000
    assert he_shot.stat().st_size > 10_000


def test_the_language_switcher_keeps_the_reader_on_the_same_article(page, translated_article):
    page.goto(translated_article["en"].url)

    choose_language(page, "ru")
    page.wait_for_url(f"**{translated_article['ru'].url}")
    assert page.locator("h1").inner_text() == "Подключение к беспроводной сети"

    choose_language(page, "fa")
    page.wait_for_url(f"**{translated_article['fa'].url}")
    assert page.locator("html").get_attribute("dir") == "rtl"

    choose_language(page, "en")
    page.wait_for_url(f"**{translated_article['en'].url}")
    assert page.locator("h1").inner_text() == "Connect to a wireless network"


def test_switching_to_a_language_without_a_translation_opens_that_help_center(page, translated_article):
    page.goto(translated_article["en"].url)

    choose_language(page, "he")

    page.wait_for_url("**/he/")
    assert page.locator("html").get_attribute("lang") == "he"
