"""The sitemap lists public forum topics, and every address in it and in each page's head carries
hreflang alternates (each language version, itself among them, and x-default, the LANGUAGE_CODE
version), absolute on the configured base URL. A private page or topic is never an alternate."""

import html5lib
import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from forum.models import Post
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.factories.council import access_group
from tests.factories.forum import make_category, make_group, make_member, make_topic
from tests.html_checks import html_problems

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE_URL = "https://help.example.com"
LANGUAGES = ["en", "ru", "fa", "he"]


@pytest.fixture(autouse=True)
def base_url(settings, db):
    """A base URL unlike the test server's host, and a Wagtail Site left on another port (as after
    loading the demo on one port and serving it on another)."""
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)
    return BASE_URL


@pytest.fixture
def articles(help_centers):
    english = make_article("Connect to Wi-Fi", translation_key="wifi")
    russian = make_article("Подключение к Wi-Fi", locale="ru", translation_key="wifi")
    private_hebrew = make_article("חיבור ל-Wi-Fi", locale="he", translation_key="wifi")
    PageViewRestriction.objects.create(page=private_hebrew, restriction_type=PageViewRestriction.LOGIN)
    return {"en": english, "ru": russian, "he": private_hebrew}


@pytest.fixture
def topics(help_centers):
    public = make_topic("How do I reset my router")
    hidden = make_topic("A hidden topic", is_hidden=True)
    held = make_topic("A topic held for approval")
    Post.objects.filter(topic=held, position=1).update(is_approved=False)
    deleted = make_topic("A deleted topic", deleted_at=timezone.now())
    private = make_topic("In a private category", category=make_category("Staff room", restricted_to=[make_group()]))
    council = make_topic("Council discussion", category=make_category("Council lounge", restricted_to=[access_group()]))
    return {
        "public": public,
        "hidden": hidden,
        "held": held,
        "deleted": deleted,
        "private": private,
        "council": council,
    }


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """Each <loc> of /sitemap.xml with its alternates, hreflang -> href."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        entries[url.findtext(f"{SITEMAP}loc")] = {link.get("hreflang"): link.get("href") for link in links}
    return entries


def head_alternates(response) -> dict[str, str]:
    assert response.status_code == 200
    source = response.content.decode()
    assert html_problems(source) == []
    document = html5lib.parse(source, namespaceHTMLElements=False)
    links = document.findall(".//head/link[@hreflang]")
    assert all(link.get("rel") == "alternate" for link in links)
    alternates = {link.get("hreflang"): link.get("href") for link in links}
    assert len(alternates) == len(links), "one link per language"
    return alternates


def absolute(path: str) -> str:
    return BASE_URL + path


def in_every_language(path: str) -> dict[str, str]:
    """The alternates of a view that exists in every language (``path`` without its prefix)."""
    return {code: absolute(f"/{code}{path}") for code in LANGUAGES} | {"x-default": absolute(f"/en{path}")}


# Forum topics in the sitemap --------------------------------------------------------------------


def test_a_public_topic_is_in_the_sitemap_in_every_language_with_its_alternates(client, topics):
    entries = sitemap_entries(client)

    path = topics["public"].get_absolute_url().removeprefix("/en")
    for code in LANGUAGES:
        assert entries[absolute(f"/{code}{path}")] == in_every_language(path), code
    assert entries[absolute("/en/forum/")] == in_every_language("/forum/")


@pytest.mark.parametrize("kind", ["hidden", "held", "deleted", "private", "council"])
def test_a_topic_an_anonymous_reader_may_not_open_is_never_in_the_sitemap(client, topics, kind):
    body = client.get("/sitemap.xml").content.decode()

    assert f"/forum/t/{topics[kind].pk}/" not in body
    assert f"/forum/t/{topics['public'].pk}/" in body


def test_a_restricted_category_is_not_in_the_sitemap(client, topics):
    body = client.get("/sitemap.xml").content.decode()

    assert f"/forum/c/{topics['public'].category.slug}/" in body
    assert f"/forum/c/{topics['private'].category.slug}/" not in body
    assert f"/forum/c/{topics['council'].category.slug}/" not in body


# Alternates of help-center pages ----------------------------------------------------------------


def test_each_translation_in_the_sitemap_lists_its_public_translations_itself_and_x_default(client, articles):
    entries = sitemap_entries(client)

    expected = {
        "en": absolute(articles["en"].url),
        "ru": absolute(articles["ru"].url),
        "x-default": absolute(articles["en"].url),
    }
    assert entries[absolute(articles["en"].url)] == expected
    assert entries[absolute(articles["ru"].url)] == expected
    assert entries[absolute("/he/")]["he"] == absolute("/he/"), "a home lists itself"
    assert entries[absolute("/he/")]["x-default"] == absolute("/en/")


def test_an_article_page_head_lists_the_same_alternates_as_the_sitemap(client, articles):
    alternates = head_alternates(client.get(articles["ru"].url, **BROWSER_HEADERS))

    assert alternates == sitemap_entries(client)[absolute(articles["ru"].url)]


def test_a_page_without_translations_lists_itself_and_x_default(client, help_centers):
    article = make_article("Only in English")

    alternates = head_alternates(client.get(article.url, **BROWSER_HEADERS))

    assert alternates == {"en": absolute(article.url), "x-default": absolute(article.url)}


def test_a_russian_only_page_has_no_x_default(client, help_centers):
    article = make_article("Только по-русски", locale="ru")

    assert head_alternates(client.get(article.url, **BROWSER_HEADERS)) == {"ru": absolute(article.url)}


# Views that are not pages -----------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_contact_page_has_alternates_in_every_language(client, help_centers, code):
    alternates = head_alternates(client.get(f"/{code}/support/contact/", **BROWSER_HEADERS))

    assert alternates == in_every_language("/support/contact/")


def test_a_public_topic_page_has_alternates_in_every_language(client, topics):
    topic = topics["public"]

    alternates = head_alternates(client.get(topic.get_absolute_url(), **BROWSER_HEADERS))

    assert alternates == in_every_language(topic.get_absolute_url().removeprefix("/en"))


def test_a_page_that_is_not_found_has_no_alternates(client, help_centers):
    response = client.get("/ru/no-such-page/", **BROWSER_HEADERS)

    assert response.status_code == 404
    assert "hreflang" not in response.content.decode().split("</head>")[0]


# Privacy -------------------------------------------------------------------------------------------


def test_a_private_translation_is_never_an_alternate_in_the_sitemap_or_a_page_head(client, articles):
    private_url = articles["he"].url
    member = UserFactory()
    client.force_login(member)

    body = client.get("/sitemap.xml").content.decode()
    english_head = head_alternates(client.get(articles["en"].url, **BROWSER_HEADERS))

    assert articles["he"].slug not in body
    assert "he" not in english_head and absolute(private_url) not in english_head.values()


def test_a_private_page_has_no_alternates_even_for_a_reader_who_may_open_it(client, articles):
    client.force_login(UserFactory())

    response = client.get(articles["he"].url, **BROWSER_HEADERS)

    assert head_alternates(response) == {}


def test_a_topic_in_a_restricted_category_has_no_alternates_for_the_member_who_may_open_it(client, topics):
    topic = topics["private"]
    client.force_login(make_member(*topic.category.restricted_to.all()))

    response = client.get(topic.get_absolute_url(), **BROWSER_HEADERS)

    assert head_alternates(response) == {}


# Absolute addresses -----------------------------------------------------------------------------


def test_every_address_in_the_sitemap_is_on_the_base_url_whatever_host_asked(client, articles, topics):
    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:9000")
    root = ElementTree.fromstring(response.content)

    addresses = [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
    addresses += [link.get("href") for link in root.iter(f"{XHTML}link")]

    assert addresses
    assert all(address.startswith(f"{BASE_URL}/") for address in addresses), [
        address for address in addresses if not address.startswith(f"{BASE_URL}/")
    ]


def test_page_alternates_are_on_the_base_url_whatever_host_asked(client, articles):
    response = client.get(articles["en"].url, HTTP_HOST="127.0.0.1:9000", **BROWSER_HEADERS)

    assert all(href.startswith(f"{BASE_URL}/") for href in head_alternates(response).values())


# Cost -------------------------------------------------------------------------------------------------


def test_the_sitemap_runs_the_same_queries_however_many_pages_and_topics(client, articles, topics):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    client.get("/sitemap.xml")
    few = queries()
    for n in range(5):
        make_article(f"More help {n}", translation_key=f"more-{n}")
        make_article(f"Ещё помощь {n}", locale="ru", translation_key=f"more-{n}")
        make_topic(f"Another question {n}")

    assert queries() == few
