"""Signing up: the extras we ask for, consent that is opt-in only, and the verification mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

User = get_user_model()

PASSWORD = "correct horse battery staple"


def signup_data(**overrides):
    data = {
        "email": "ada@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Ada",
        "referral_source": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_page_shows_the_newsletter_checkbox_unchecked(client):
    response = client.get("/en/accounts/signup/")

    assert response.status_code == 200
    checkbox = re.search(r"<input[^>]*name=\"marketing_opt_in\"[^>]*>", response.content.decode()).group(0)
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox


@pytest.mark.django_db
def test_signup_page_asks_for_email_passwords_name_and_referral(client):
    response = client.get("/en/accounts/signup/")

    html = response.content.decode()
    for name in ("email", "password1", "password2", "display_name", "referral_source", "marketing_opt_in"):
        assert f'name="{name}"' in html
    assert "How did you hear about us?" in html
    assert '<div class="field' in html
    assert '<button type="submit" class="button' in html


@pytest.mark.django_db
def test_signup_stores_display_name_referral_and_language(client):
    response = client.post("/ru/accounts/signup/", signup_data(referral_source="friend"))

    assert response.status_code == 302
    user = User.objects.get(email="ada@example.com")
    assert user.display_name == "Ada"
    assert user.referral_source == User.ReferralSource.FRIEND
    assert user.preferred_language == "ru"


@pytest.mark.django_db
def test_signup_without_opting_in_stores_no_consent(client):
    client.post("/en/accounts/signup/", signup_data())

    user = User.objects.get(email="ada@example.com")
    assert user.marketing_opt_in is False
    assert user.marketing_opt_in_at is None


@pytest.mark.django_db
def test_signup_with_opt_in_stores_the_time_of_consent(client):
    before = timezone.now()

    client.post("/en/accounts/signup/", signup_data(marketing_opt_in="on"))

    user = User.objects.get(email="ada@example.com")
    assert user.marketing_opt_in is True
    assert before <= user.marketing_opt_in_at <= timezone.now()


@pytest.mark.django_db
def test_signup_sends_a_verification_email_even_without_marketing_consent(client):
    client.post("/en/accounts/signup/", signup_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert "/en/accounts/confirm-email/" in message.body


@pytest.mark.django_db
def test_signup_leads_to_the_check_your_inbox_page(client):
    response = client.post("/en/accounts/signup/", signup_data(), follow=True)

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_creates_nobody(client):
    response = client.post("/en/accounts/signup/", signup_data(password2="something else entirely"))

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_account_mail_greets_with_the_site_name(client, settings):
    client.post("/en/accounts/signup/", signup_data())

    message = mail.outbox[0]
    assert message.body.startswith(f"Hello from {settings.WAGTAIL_SITE_NAME}!")
    assert message.subject.startswith(f"[{settings.WAGTAIL_SITE_NAME}] ")
