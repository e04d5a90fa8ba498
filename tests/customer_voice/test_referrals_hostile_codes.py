"""A referral code that is not shaped like one (wrong alphabet or length, SQL, NUL, look-alike
letters, a megabyte) answers 404 and writes nothing: no click, no cookie."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customer_voice.models import Referral, ReferralClicks, ReferralLink
from customer_voice.models.referrals import CODE_LENGTH
from customer_voice.services.referrals import COOKIE_NAME, attribute_sign_up, link_for, record_click
from tests.factories import BROWSER_USER_AGENT, UserFactory

pytestmark = pytest.mark.django_db

GARBLED = [
    "/r/'; DROP TABLE customer_voice_referrallink; --/",
    "/r/%27%3B%20DROP%20TABLE/",
    "/r/abcde%00fghi/",
    "/r/%00/",
    "/r/аbcdefghij/",  # a Cyrillic "а"
    "/r/ABCDEFGHIJ/",  # upper case is not in the alphabet
    "/r/abcdefghi0/",  # "0", "1", "l" and "o" are left out of the alphabet
    "/r/abcdefghijk/",  # too long by one
    "/r/abcdefghi/",  # too short by one
    "/r/" + "a" * 10_000 + "/",
    "/r/<script>alert(1)</script>/",
    "/r/%E2%80%AEabcdefghi/",  # a right-to-left override
]


@pytest.fixture
def link():
    return link_for(UserFactory())


@pytest.mark.parametrize("url", GARBLED)
def test_a_garbled_code_answers_404_and_writes_nothing(url, link):
    browser = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)

    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url, follow=True)

    # Django's LocaleMiddleware first offers the same path under the language prefix when that
    # could match (it does for any 404 outside i18n_patterns); there it is no page either.
    assert response.status_code == 404
    assert all(hop.startswith("/en/r/") for hop, _status in response.redirect_chain)
    # Only Wagtail's redirect lookup for a 404 reads the database; the referral tables are not asked.
    assert [query["sql"] for query in queries if '"customer_voice_' in query["sql"]] == []
    assert not any(query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for query in queries)
    assert COOKIE_NAME not in response.cookies
    assert not ReferralClicks.objects.exists()


def test_the_services_ignore_a_garbled_code_without_asking_the_database(link, django_assert_num_queries):
    new_member = UserFactory()

    with django_assert_num_queries(0):
        assert record_click("'; DROP TABLE x; --") is False
        assert record_click(link.code.upper()) is False
        assert attribute_sign_up(new_member, "a\x00" * (CODE_LENGTH // 2)) is None

    assert not Referral.objects.exists()
    assert ReferralLink.objects.count() == 1
