"""No input to a support URL ends in a server error."""

from urllib.parse import quote

import pytest

from tests.factories import make_article
from tests.support.helpers import a_reader

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "",
    "x" * 20_000,
    "\x00",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "٣٤",
    "-1",
    "9" * 40,
]


@pytest.fixture
def article(help_centers):
    return make_article("Connect to a wireless network")


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_query_values_never_cause_a_server_error(article, value):
    reader = a_reader()
    # As a WSGI server passes a cookie's raw bytes on: UTF-8 read as Latin-1.
    reader.cookies["support_contact_visit"] = value.replace("\x00", "").encode().decode("latin-1")
    urls = [
        ("get", "/en/support/contact/", {"visit": value}),
        ("get", "/en/support/contact/suggestions/", {"visit": value, "subject": value, "description": value}),
        ("get", f"/en/support/contact/thanks/{quote(value or '-', safe='')}/", {}),
        ("get", f"/en/support/articles/{article.pk}/open/", {"visit": value, "rank": value, "flow": value, "q": value}),
        ("get", f"{article.url}", {"from_contact": value}),
        ("post", f"/en/support/articles/{article.pk}/vote/", {"helpful": value, "reason": value, "revision": value}),
        ("post", f"/en/support/articles/{article.pk}/solved/", {"from_contact": value}),
        ("post", "/en/support/contact/", {"subject": value, "description": value, "email": value, "visit": value}),
    ]
    for method, url, data in urls:
        response = getattr(reader, method)(url, data)
        assert response.status_code < 500, (method, url, response.status_code)


def test_an_article_id_too_large_for_the_database_is_not_found(article):
    huge = "9" * 40

    assert a_reader().post(f"/en/support/articles/{huge}/vote/", {"helpful": "yes"}).status_code == 404
    assert a_reader().get(f"/en/support/articles/{huge}/open/").status_code == 404
