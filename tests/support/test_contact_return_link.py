"""The way back from a suggested article to the contact form the customer left: the form's own
language, so the draft the browser keeps for that form is there; never anywhere but the form."""

import re

import pytest

from tests.factories import make_article
from tests.support.helpers import a_reader

pytestmark = pytest.mark.django_db

VISIT = "c" * 32


def back_link(html: str) -> str:
    match = re.search(r'<a class="button button-secondary" href="([^"]*)">Back to the contact form</a>', html)
    assert match, "the article offers the way back to the contact form"
    return match.group(1)


@pytest.fixture
def english_article(help_centers):
    return make_article("Fix a dropping wireless connection")


def test_an_article_suggested_on_a_form_in_its_own_language_leads_back_to_that_form(english_article):
    reader = a_reader()

    opened = reader.get(f"/en/support/articles/{english_article.pk}/open/", {"visit": VISIT, "flow": "contact"})
    article = reader.get(opened["Location"])

    assert opened["Location"] == f"{english_article.url}?from_contact={VISIT}"
    assert back_link(article.content.decode()) == "/en/support/contact/"


def test_an_english_article_suggested_on_the_hebrew_form_leads_back_to_the_hebrew_form(english_article):
    reader = a_reader()

    opened = reader.get(f"/he/support/articles/{english_article.pk}/open/", {"visit": VISIT, "flow": "contact"})
    article = reader.get(opened["Location"])

    assert opened["Location"] == f"{english_article.url}?from_contact={VISIT}&contact_lang=he"
    assert back_link(article.content.decode()) == "/he/support/contact/"


@pytest.mark.parametrize("language", ["https://evil.example/", "//evil.example", "javascript:alert(1)", "xx", ""])
def test_the_way_back_never_leads_anywhere_but_the_contact_form(english_article, language):
    html = a_reader().get(english_article.url, {"from_contact": VISIT, "contact_lang": language}).content.decode()

    assert back_link(html) == "/en/support/contact/"
    assert "evil" not in html and "javascript:alert" not in html
