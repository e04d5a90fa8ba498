"""Small things a new reader notices: the home's title, snippets that repeat their title, and
what a new help center (no views yet) shows besides its newest articles."""

import re

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import PageViewRestriction

from demo.management.commands.load_demo import PROMOTED_ARTICLES, Command
from kb.models import ArticlePage
from kb.search.service import search, suggest, without_leading_title
from tests.factories import BROWSER_HEADERS, make_article
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db


def page_title(response) -> str:
    return re.search(r"<title>([^<]*)</title>", response.content.decode()).group(1)


def test_the_home_page_title_names_the_site_once(help_centers):
    response = Client(**BROWSER_HEADERS).get("/en/")

    assert page_title(response) == settings.WAGTAIL_SITE_NAME


def test_an_article_title_is_followed_by_the_site_name(help_centers):
    article = make_article("Connect to a wireless network")

    response = Client(**BROWSER_HEADERS).get(article.url)

    assert page_title(response) == f"Connect to a wireless network · {settings.WAGTAIL_SITE_NAME}"


def test_a_translated_home_title_is_followed_by_the_site_name(help_centers):
    response = Client(**BROWSER_HEADERS).get("/ru/")

    assert page_title(response) == f"{help_centers['ru'].title} · {settings.WAGTAIL_SITE_NAME}"


def test_a_snippet_drops_a_leading_copy_of_the_title():
    assert without_leading_title("Set up a printer\nOpen Settings.", "Set up a printer") == "Open Settings."
    assert without_leading_title("set  UP a printer: Open Settings.", "Set up a printer") == "Open Settings."
    assert without_leading_title("Printers are set up in Settings.", "Set up a printer") == (
        "Printers are set up in Settings."
    )


def test_search_snippets_do_not_start_with_the_hit_title(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Set up a printer", body="Open Settings and choose Printers.")

    results = search(reader(), "printer", language="en")
    suggestions = suggest(reader(), "printer", language="en")

    assert [hit.title for hit in results.hits] == ["Set up a printer"]
    assert "Open Settings" in results.hits[0].snippet
    assert "Set up" not in results.hits[0].snippet
    assert "Set up" not in suggestions[0].snippet


def test_a_new_help_center_shows_its_promoted_articles_and_no_empty_popular_list(help_centers):
    promoted = make_article("Connect to a wireless network", summary="Get on the internet.")
    promoted.promoted = True
    promoted.save_revision().publish()
    make_article("Not promoted")

    response = Client(**BROWSER_HEADERS).get("/en/")

    html = response.content.decode()
    assert [a.title for a in response.context["promoted_articles"]] == ["Connect to a wireless network"]
    assert 'id="promoted-heading">Promoted articles</h2>' in html
    assert "Popular articles" not in html
    assert "Nothing yet" not in html


def test_without_promoted_articles_there_is_no_promoted_list(help_centers):
    make_article("Not promoted")

    response = Client(**BROWSER_HEADERS).get("/en/")

    assert "promoted-heading" not in response.content.decode()


def test_a_promoted_article_a_reader_may_not_open_is_not_listed(help_centers):
    secret = make_article("Secret promoted article")
    secret.promoted = True
    secret.save_revision().publish()
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    response = Client(**BROWSER_HEADERS).get("/en/")

    assert "Secret promoted article" not in response.content.decode()


def test_the_demo_promotes_its_chosen_articles_in_every_language_once(help_centers):
    for language in ("en", "ru"):
        make_article(f"Wireless ({language})", locale=language, translation_key=PROMOTED_ARTICLES[0])
    other = make_article("Other article")

    Command().promote_articles()
    revisions = {page.pk: page.latest_revision_id for page in ArticlePage.objects.all()}
    Command().promote_articles()

    promoted = ArticlePage.objects.filter(promoted=True)
    assert sorted(promoted.values_list("locale__language_code", flat=True)) == ["en", "ru"]
    assert all(page.get_latest_revision_as_object().promoted for page in promoted)
    assert not ArticlePage.objects.get(pk=other.pk).promoted
    assert {page.pk: page.latest_revision_id for page in ArticlePage.objects.all()} == revisions
