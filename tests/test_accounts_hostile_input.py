"""Hostile and odd input on every account form: always a clear 4xx or form error, never a 500,
and never a half-written account."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.forms import DisplayNameField
from tests.factories import UserFactory

User = get_user_model()

PASSWORD = "correct horse battery staple"
HUGE = "x" * 10_000
SQLISH = "'; DROP TABLE accounts_user; --"


def signup_data(**overrides):
    data = {
        "email": "eve@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Eve",
        "referral_source": "",
    }
    data.update(overrides)
    return data


def assert_nothing_written():
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


# --- Signup -----------------------------------------------------------------------------------

SIGNUP_HOSTILE_CASES = {
    "huge email": {"email": HUGE + "@example.com"},
    "huge password": {"password1": HUGE, "password2": HUGE},
    "huge display name": {"display_name": HUGE},
    "huge referral source": {"referral_source": HUGE},
    "NUL in email": {"email": "eve\x00@example.com"},
    "NUL in password": {"password1": PASSWORD + "\x00", "password2": PASSWORD + "\x00"},
    "NUL in display name": {"display_name": "Eve\x00"},
    "NUL in referral source": {"referral_source": "friend\x00"},
    "SQL in email": {"email": SQLISH},
    "SQL in referral source": {"referral_source": SQLISH},
    "right-to-left override in display name": {"display_name": "Eve\u202egnp.exe"},
    "newline in display name": {"display_name": "Eve\nAdmin"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", SIGNUP_HOSTILE_CASES.values(), ids=SIGNUP_HOSTILE_CASES.keys())
def test_hostile_signup_input_is_a_form_error_and_creates_nobody(client, overrides):
    response = client.post("/en/accounts/signup/", signup_data(**overrides))

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert_nothing_written()


@pytest.mark.django_db
def test_html_in_a_display_name_is_stored_as_text_and_shown_escaped(client):
    name = '<script>alert("x")</script><b>Eve</b>'
    client.post("/en/accounts/signup/", signup_data(display_name=name))
    user = User.objects.get(email="eve@example.com")
    user.emailaddress_set.update(verified=True)
    client.force_login(user)

    html = client.get("/en/accounts/profile/").content.decode()

    assert user.display_name == name
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Eve&lt;/b&gt;" in html


@pytest.mark.django_db
def test_sql_looking_display_name_is_just_text(client):
    client.post("/en/accounts/signup/", signup_data(display_name=SQLISH))

    assert User.objects.get(email="eve@example.com").display_name == SQLISH


@pytest.mark.django_db
def test_zero_width_characters_are_stripped_from_a_display_name(client):
    client.post("/en/accounts/signup/", signup_data(display_name="\u200bE\u200bv\ufeffe\u2060"))

    assert User.objects.get(email="eve@example.com").display_name == "Eve"


@pytest.mark.django_db
def test_right_to_left_override_in_a_display_name_is_explained(client):
    response = client.post("/en/accounts/signup/", signup_data(display_name="Eve\u202egnp.exe"))

    assert "invisible text-direction characters" in response.content.decode()


@pytest.mark.django_db
def test_duplicate_email_signup_creates_no_second_user_and_tells_the_owner(client):
    UserFactory(email="eve@example.com")

    response = client.post("/en/accounts/signup/", signup_data(email="EVE@example.com"), follow=True)

    assert User.objects.filter(email__iexact="eve@example.com").count() == 1
    # The page is the same as for a new address, so strangers cannot test who has an account;
    # the owner learns from the mail, which says the account exists and how to get back in.
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eve@example.com"]
    assert "already" in mail.outbox[0].body
    assert "/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_is_all_or_nothing(client, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr("allauth.account.forms.setup_user_email", fail)

    with pytest.raises(RuntimeError):
        client.post("/en/accounts/signup/", signup_data(marketing_opt_in="on"))

    assert not User.objects.exists()


# --- Login and password reset -----------------------------------------------------------------

LOGIN_HOSTILE_CASES = {
    "huge email": {"login": HUGE},
    "huge password": {"password": HUGE},
    "NUL in email": {"login": "eve\x00@example.com"},
    "NUL in password": {"password": "pass\x00word"},
    "SQL in email": {"login": SQLISH},
    "SQL in password": {"password": SQLISH},
}


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", LOGIN_HOSTILE_CASES.values(), ids=LOGIN_HOSTILE_CASES.keys())
def test_hostile_login_input_is_refused_with_a_form_error(client, overrides):
    UserFactory(email="eve@example.com")
    data = {"login": "eve@example.com", "password": PASSWORD, **overrides}

    response = client.post("/en/accounts/login/", data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("email", [HUGE, "eve\x00@example.com", SQLISH], ids=["huge", "NUL", "SQL"])
def test_hostile_password_reset_input_is_a_form_error(client, email):
    response = client.post("/en/accounts/password/reset/", {"email": email})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/accounts/confirm-email/abc%00def/", "/en/accounts/password/reset/key/1-a%00b/"])
def test_nul_in_an_emailed_link_is_not_a_server_error(client, path):
    response = client.get(path, follow=True)

    assert response.status_code in {200, 404}


# --- Profile ----------------------------------------------------------------------------------

PROFILE_HOSTILE_CASES = {
    "huge display name": {"display_name": HUGE},
    "NUL in display name": {"display_name": "Eve\x00"},
    "right-to-left override in display name": {"display_name": "\u202eEve"},
    "huge language": {"preferred_language": HUGE},
    "NUL in language": {"preferred_language": "en\x00"},
    "SQL in language": {"preferred_language": SQLISH},
}


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", PROFILE_HOSTILE_CASES.values(), ids=PROFILE_HOSTILE_CASES.keys())
def test_hostile_profile_input_answers_400_and_saves_nothing(client, overrides):
    user = UserFactory(display_name="Eve", preferred_language="en")
    client.force_login(user)
    data = {"display_name": "Changed", "preferred_language": "ru", "marketing_opt_in": "on", **overrides}

    response = client.post("/en/accounts/profile/", data)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language, user.marketing_opt_in) == ("Eve", "en", False)


# --- The display name policy itself -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  Eve  ", "Eve"),
        ("E\u200bve", "Eve"),
        ("\u200fEve\u200e", "Eve"),
        ("Eve\u00ad", "Eve"),
        ("\u200b\u200b", ""),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
        ("\u200cEve\u200d", "Eve"),
        ("\U0001f469\u200d\U0001f4bb", "\U0001f469\u200d\U0001f4bb"),
        ("e\u0301", "\u00e9"),
    ],
    ids=[
        "surrounding spaces",
        "zero-width space",
        "direction marks",
        "soft hyphen",
        "only invisible",
        "Persian ZWNJ kept",
        "joiners at the ends",
        "emoji ZWJ kept",
        "NFC",
    ],
)
def test_display_name_field_normalises_invisible_characters(raw, stored):
    assert DisplayNameField(max_length=60, required=False).clean(raw) == stored


@pytest.mark.parametrize("raw", ["\u202eEve", "Eve\u2066x\u2069", "Eve\x00", "Eve\tAdmin"])
def test_display_name_field_rejects_reordering_and_control_characters(raw):
    with pytest.raises(ValidationError):
        DisplayNameField(max_length=60, required=False).clean(raw)
