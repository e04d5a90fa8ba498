"""The first-touch cookie is honoured only as the site signed it and only for
VOICE_REFERRAL_COOKIE_DAYS: forged, tampered, expired or overlong cookies are ignored."""

import datetime
import time

import pytest
from django.core import signing
from django.utils import timezone

from customer_voice.services.referrals import COOKIE_SALT, first_touch_cookie, read_first_touch_cookie

CODE = "abcdefghij"
DAY = datetime.timedelta(days=1)


def test_a_fresh_cookie_gives_back_the_code_and_the_click_time():
    clicked_at = timezone.now()

    assert read_first_touch_cookie(first_touch_cookie(CODE, clicked_at)) == (CODE, clicked_at)


def test_a_cookie_signed_more_than_thirty_days_ago_is_not_honoured(monkeypatch):
    long_ago = time.time() - 31 * DAY.total_seconds()
    clicked_at = timezone.now() - 31 * DAY
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: long_ago)
        value = first_touch_cookie(CODE, clicked_at)

    assert read_first_touch_cookie(value) is None


def test_a_cookie_signed_twenty_nine_days_ago_is_honoured(monkeypatch):
    not_so_long_ago = time.time() - 29 * DAY.total_seconds()
    clicked_at = timezone.now() - 29 * DAY
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: not_so_long_ago)
        value = first_touch_cookie(CODE, clicked_at)

    assert read_first_touch_cookie(value) == (CODE, clicked_at)


def test_the_lifetime_follows_the_setting(settings):
    settings.VOICE_REFERRAL_COOKIE_DAYS = 7
    clicked_at = timezone.now() - 8 * DAY

    assert read_first_touch_cookie(first_touch_cookie(CODE, clicked_at), now=timezone.now()) is None


def test_a_click_time_older_than_the_lifetime_inside_a_fresh_signature_is_not_honoured():
    assert read_first_touch_cookie(first_touch_cookie(CODE, timezone.now() - 31 * DAY)) is None


def test_a_click_time_in_the_future_is_not_honoured():
    assert read_first_touch_cookie(first_touch_cookie(CODE, timezone.now() + DAY)) is None


def test_a_cookie_signed_with_another_key_is_not_honoured():
    value = signing.dumps([CODE, timezone.now().isoformat()], salt=COOKIE_SALT, key="not the site's key")

    assert read_first_touch_cookie(value) is None


def test_a_cookie_signed_for_another_purpose_is_not_honoured():
    value = signing.dumps([CODE, timezone.now().isoformat()], salt="another.purpose")

    assert read_first_touch_cookie(value) is None


def test_a_tampered_code_breaks_the_signature():
    value = first_touch_cookie(CODE, timezone.now())
    payload, rest = value.split(":", 1)
    forged = signing.b64_encode(f'["zzzzzzzzzz","{timezone.now().isoformat()}"]'.encode()).decode()

    assert read_first_touch_cookie(f"{forged}:{rest}") is None
    assert payload != forged


@pytest.mark.parametrize(
    "payload",
    [
        ["'; DROP TABLE x; --", "2026-01-01T00:00:00+00:00"],
        [CODE, "yesterday"],
        [CODE, "2026-01-01T00:00:00"],
        {},
        CODE,
    ],
)
def test_a_signed_but_malformed_payload_is_not_honoured(payload):
    assert read_first_touch_cookie(signing.dumps(payload, salt=COOKIE_SALT)) is None


@pytest.mark.parametrize("value", ["", None, "x" * 5000, "\x00", "%00", "a:b:c"])
def test_garbage_is_not_honoured(value):
    assert read_first_touch_cookie(value) is None
