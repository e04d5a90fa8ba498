"""A language without help articles falls back clearly: its home, an empty topic and its feeds show
the first language of its fallback order that has articles the reader may see, and say so; the
language switcher says which languages a page exists in. Private pages never count."""

import html5lib
import pytest
from defusedxml import ElementTree
from django.utils import translation
from wagtail.models import PageViewRestriction

from kb.languages import content_language, fallback_order
from kb.models import ArticlePage
from sitewide.addresses import absolute_url
from sitewide.reader import Reader
from tests.factories import BROWSER_HEADERS, UserFactory, make_article

ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "fa": "فارسی", "he": "עברית"}


def restrict_to_logged_in(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def parse(response):
    assert response.status_code == 200
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def hebrew(message: str) -> str:
    with translation.override("he"):
        return translation.gettext(message)


def fallback_notice(document):
    return document.find(".//main//p[@class='notice language-fallback']")


def switcher_links(document) -> dict:
    """The switcher's links by language: (href, visible text)."""
    return {
        link.get("hreflang"): (link.get("href"), text_of(link))
        for link in document.findall(".//nav[@id='language-switcher']//a")
    }


# The fallback function ------------------------------------------------------------------------


def test_a_language_falls_back_to_english_by_default_and_to_its_settings_order(settings):
    settings.LANGUAGE_FALLBACKS = {"he": ["ru", "en", "xx"]}

    assert fallback_order("he") == ["he", "ru", "en"]
    assert fallback_order("fa") == ["fa", "en"]
    assert fallback_order("en") == ["en"]


def test_a_language_with_articles_shows_its_own(help_centers):
    make_article("Connect to Wi-Fi")
    make_article("Подключение к Wi-Fi", locale="ru")

    assert content_language(ArticlePage.objects.all(), "ru", Reader.anonymous("ru")) == "ru"


def test_a_language_without_articles_shows_the_first_fallback_that_has_some(help_centers, settings):
    make_article("Connect to Wi-Fi")
    make_article("Подключение к Wi-Fi", locale="ru")
    articles = ArticlePage.objects.all()

    assert content_language(articles, "he", Reader.anonymous("he")) == "en"
    settings.LANGUAGE_FALLBACKS = {"he": ["ru", "en"]}
    assert content_language(articles, "he", Reader.anonymous("he")) == "ru"


def test_a_private_hebrew_article_does_not_give_hebrew_content_to_an_anonymous_reader(help_centers):
    make_article("Connect to Wi-Fi")
    restrict_to_logged_in(make_article("מאמר לצוות בלבד", locale="he"))
    member = UserFactory()

    assert content_language(ArticlePage.objects.all(), "he", Reader.anonymous("he")) == "en"
    assert content_language(ArticlePage.objects.all(), "he", Reader.for_user(member, "he")) == "he"


def test_a_fallback_whose_articles_the_reader_may_not_see_is_not_chosen(help_centers):
    restrict_to_logged_in(make_article("Staff-only article"))
    draft = make_article("Unpublished draft")
    draft.unpublish()

    assert content_language(ArticlePage.objects.all(), "he", Reader.anonymous("he")) is None


# The help-center home ---------------------------------------------------------------------------


@pytest.fixture
def english_only(help_centers):
    """A site with English articles only, one of them private, and one in a private topic."""
    wifi = make_article("Connect to Wi-Fi", summary="Get online.", category="net", category_title="Networking")
    printer = make_article("Set up a printer", category="printing", category_title="Printing")
    private = make_article("Staff-only article", category="net", category_title="Networking")
    restrict_to_logged_in(private)
    hidden = make_article("Internal runbook", category="internal", category_title="Internal")
    restrict_to_logged_in(hidden.get_parent())
    return {"wifi": wifi, "printer": printer, "private": private, "hidden": hidden}


def test_the_hebrew_home_shows_the_english_topics_and_articles_with_a_notice(client, english_only):
    document = parse(client.get("/he/", **BROWSER_HEADERS))

    notice = fallback_notice(document)
    assert notice is not None and notice.get("role") == "status"
    with translation.override("he"):
        expected = translation.gettext(
            "There are no help articles in %(language)s yet. Showing articles in %(shown)s."
        ) % {"language": translation.gettext("Hebrew"), "shown": translation.gettext("English")}
    assert text_of(notice) == expected
    topics = document.find(".//ul[@class='category-grid']")
    assert (topics.get("lang"), topics.get("dir")) == ("en", "ltr")
    assert [text_of(h3) for h3 in topics.iter("h3")] == ["Networking", "Printing"]
    new = document.find(".//section[@aria-labelledby='new-heading']/ul")
    assert (new.get("lang"), new.get("dir")) == ("en", "ltr")
    links = {text_of(a): a.get("href") for a in new.iter("a")}
    assert links == {"Connect to Wi-Fi": english_only["wifi"].url, "Set up a printer": english_only["printer"].url}
    assert all(url.startswith("/en/") for url in links.values())


def test_the_hebrew_home_no_longer_says_there_is_nothing_here(client, english_only):
    html = client.get("/he/", **BROWSER_HEADERS).content.decode()

    for empty in ("Nothing yet.", "No topics yet."):
        assert hebrew(empty) not in html, empty


def test_the_hebrew_home_never_shows_a_page_the_reader_may_not_open(client, english_only):
    html = client.get("/he/", **BROWSER_HEADERS).content.decode()

    assert "Staff-only article" not in html
    assert "Internal" not in html


def test_the_hebrew_home_shows_hebrew_articles_once_there_are_some(client, english_only):
    make_article("התחברות לרשת אלחוטית", locale="he")

    document = parse(client.get("/he/", **BROWSER_HEADERS))

    assert fallback_notice(document) is None
    assert document.find(".//ul[@class='category-grid']").get("lang") is None
    assert "Connect to Wi-Fi" not in text_of(document.find(".//main"))


def test_the_english_home_has_no_notice(client, english_only):
    document = parse(client.get("/en/", **BROWSER_HEADERS))

    assert fallback_notice(document) is None
    assert document.find(".//ul[@class='category-grid']").get("lang") is None


def test_a_home_with_nothing_to_fall_back_on_says_it_is_empty(client, help_centers):
    restrict_to_logged_in(make_article("Staff-only article"))

    html = client.get("/he/", **BROWSER_HEADERS).content.decode()

    assert "language-fallback" not in html
    assert hebrew("No topics yet.") in html
    assert "Staff-only article" not in html


def test_the_hebrew_home_in_fallback_runs_the_same_queries_however_many_articles(
    client, english_only, django_assert_max_num_queries
):
    client.get("/he/", **BROWSER_HEADERS)
    # 15: the home's sections (popular, promoted, new and updated), the switcher, the forum's.
    with django_assert_max_num_queries(15) as few:
        client.get("/he/", **BROWSER_HEADERS)
    for n in range(12):
        make_article(f"More help {n}", category="net", category_title="Networking")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/he/", **BROWSER_HEADERS)


# A topic ------------------------------------------------------------------------------------------


def test_a_hebrew_topic_without_articles_for_the_reader_lists_its_english_translation(client, help_centers):
    english = make_article("Connect to Wi-Fi", category="net", category_title="Networking")
    restrict_to_logged_in(make_article("Staff-only article", category="net", category_title="Networking"))
    locked = make_article("מאמר לצוות בלבד", locale="he", category="net", category_title="רשת")
    restrict_to_logged_in(locked)

    document = parse(client.get(locked.get_parent().url, **BROWSER_HEADERS))

    notice = fallback_notice(document)
    assert notice is not None and notice.get("role") == "status"
    listing = document.find(".//ul[@class='article-list']")
    assert (listing.get("lang"), listing.get("dir")) == ("en", "ltr")
    assert {text_of(a): a.get("href") for a in listing.iter("a")} == {"Connect to Wi-Fi": english.url}
    assert "מאמר לצוות בלבד" not in text_of(document.find(".//main"))


def test_a_topic_with_articles_has_no_notice(client, help_centers):
    article = make_article("Connect to Wi-Fi", category="net")

    document = parse(client.get(article.get_parent().url, **BROWSER_HEADERS))

    assert fallback_notice(document) is None


# Feeds ----------------------------------------------------------------------------------------------


def test_the_hebrew_rss_feed_lists_the_english_articles_and_says_so(client, english_only):
    response = client.get("/he/feeds/articles.rss")

    channel = ElementTree.fromstring(response.content).find("channel")
    assert [item.findtext("title") for item in channel.iter("item")] == ["Set up a printer", "Connect to Wi-Fi"]
    assert all("/en/" in item.findtext("link") for item in channel.iter("item"))
    assert channel.findtext("language") == "en"
    with translation.override("he"):
        assert translation.gettext("Hebrew") in channel.findtext("description")
        assert translation.gettext("English") in channel.findtext("description")
    assert channel.findtext("link").endswith("/he/")


def test_the_hebrew_atom_feed_lists_the_english_articles_and_says_so(client, english_only):
    feed = ElementTree.fromstring(client.get("/he/feeds/articles.atom").content)

    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == [
        "Set up a printer",
        "Connect to Wi-Fi",
    ]
    with translation.override("he"):
        assert translation.gettext("English") in feed.findtext(f"{ATOM}subtitle")


def test_a_private_hebrew_article_does_not_keep_the_hebrew_feed_empty(client, english_only):
    restrict_to_logged_in(make_article("מאמר לצוות בלבד", locale="he"))

    channel = ElementTree.fromstring(client.get("/he/feeds/articles.rss").content).find("channel")

    titles = [item.findtext("title") for item in channel.iter("item")]
    assert titles == ["Set up a printer", "Connect to Wi-Fi"]


def test_a_feed_with_articles_of_its_own_language_is_unchanged(client, english_only):
    make_article("התחברות לרשת אלחוטית", locale="he")

    channel = ElementTree.fromstring(client.get("/he/feeds/articles.rss").content).find("channel")

    assert [item.findtext("title") for item in channel.iter("item")] == ["התחברות לרשת אלחוטית"]
    assert channel.findtext("language") == "he"


# The language switcher ---------------------------------------------------------------------------


@pytest.fixture
def article_in_english_and_russian(help_centers):
    """An article translated into Russian only; Persian has other articles, Hebrew none."""
    english = make_article("Connect to Wi-Fi", translation_key="wifi")
    russian = make_article("Подключение к Wi-Fi", locale="ru", translation_key="wifi")
    make_article("چاپگر", locale="fa")
    return {"en": english, "ru": russian}


def test_the_switcher_says_which_languages_an_article_exists_in(client, article_in_english_and_russian):
    document = parse(client.get(article_in_english_and_russian["en"].url, **BROWSER_HEADERS))

    links = switcher_links(document)
    assert links["en"] == (article_in_english_and_russian["en"].url, "English")
    assert links["ru"] == (article_in_english_and_russian["ru"].url, "Русский")
    assert links["fa"] == ("/fa/", "فارسی (not translated)")
    assert links["he"] == ("/he/", "עברית (no articles yet)")
    note = document.find(".//nav[@id='language-switcher']//a[@hreflang='he']/span[@class='language-note']")
    assert (note.get("lang"), note.get("dir")) == ("en", "ltr"), "the note is in the interface language"


def test_the_switcher_notes_are_in_the_interface_language(client, article_in_english_and_russian):
    document = parse(client.get(article_in_english_and_russian["ru"].url, **BROWSER_HEADERS))

    with translation.override("ru"):
        not_translated, no_articles = translation.gettext("not translated"), translation.gettext("no articles yet")
    links = switcher_links(document)
    assert links["fa"][1] == f"فارسی ({not_translated})"
    assert links["he"][1] == f"עברית ({no_articles})"


def test_only_real_translations_are_hreflang_alternates(client, article_in_english_and_russian):
    document = parse(client.get(article_in_english_and_russian["en"].url, **BROWSER_HEADERS))

    alternates = {link.get("hreflang"): link.get("href") for link in document.findall(".//link[@hreflang]")}
    english, russian = (absolute_url(article_in_english_and_russian[code].url) for code in ("en", "ru"))
    assert alternates == {"en": english, "ru": russian, "x-default": english}


def test_a_private_hebrew_article_does_not_lift_the_no_articles_note(client, article_in_english_and_russian):
    restrict_to_logged_in(make_article("מאמר לצוות בלבד", locale="he"))

    links = switcher_links(parse(client.get(article_in_english_and_russian["en"].url, **BROWSER_HEADERS)))

    assert links["he"] == ("/he/", "עברית (no articles yet)")


def test_pages_outside_the_help_center_have_plain_language_links(client, article_in_english_and_russian):
    links = switcher_links(parse(client.get("/en/accounts/login/", **BROWSER_HEADERS)))

    assert links == {code: (f"/{code}/accounts/login/", name) for code, name in LANGUAGE_NAMES.items()}
