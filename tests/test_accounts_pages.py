"""Every account page people see wears the site layout, in every language, with labelled fields."""

import re

import pytest
from django.conf import settings

from tests.factories import UserFactory

ANONYMOUS_PAGES = [
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/confirm-email/",
    "/{lang}/accounts/confirm-email/not-a-key/",
    "/{lang}/accounts/password/reset/",
    "/{lang}/accounts/password/reset/done/",
    "/{lang}/accounts/password/reset/key/done/",
    "/{lang}/accounts/inactive/",
]
MEMBER_PAGES = [
    "/{lang}/accounts/profile/",
    "/{lang}/accounts/logout/",
    "/{lang}/accounts/email/",
    "/{lang}/accounts/password/change/",
]


def assert_in_site_layout(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<body class="account-page[^"]*"', html)
    assert re.search(rf"<title>[^<]+· {re.escape(settings.WAGTAIL_SITE_NAME)}</title>", html)
    assert html.count("<h1>") == 1
    # Every visible input has a label pointing at it.
    for input_id in re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


@pytest.mark.django_db
@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_account_pages_use_the_site_layout(client, path, lang):
    response = client.get(path.format(lang=lang))

    assert_in_site_layout(response)
    assert f'lang="{lang}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_account_pages_use_the_site_layout(client, path):
    client.force_login(UserFactory())

    assert_in_site_layout(client.get(path.format(lang="en")))


@pytest.mark.django_db
def test_right_to_left_languages_get_a_right_to_left_login_page(client):
    response = client.get("/fa/accounts/login/")

    assert 'dir="rtl"' in response.content.decode()
