"""Email verification is mandatory: no login until the link in the mail has been followed."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import UserFactory

User = get_user_model()

PASSWORD = "correct horse battery staple"


def sign_up(client, email="grace@example.com"):
    client.post(
        "/en/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Grace"},
    )
    return User.objects.get(email=email)


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/confirm-email/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_cannot_log_in_before_verifying_email(client):
    sign_up(client)
    mail.outbox.clear()

    response = client.post("/en/accounts/login/", {"login": "grace@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    # Trying to log in mails a fresh link rather than leaving the person stuck.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_confirmation_link_verifies_the_address_and_then_login_works(client):
    sign_up(client)
    path = confirmation_path(mail.outbox[0])

    page = client.get(path)
    confirmed = client.post(path)
    logged_in = client.post("/en/accounts/login/", {"login": "grace@example.com", "password": PASSWORD})

    assert page.status_code == 200
    assert "Confirm" in page.content.decode()
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="grace@example.com").verified is True
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="grace@example.com").pk)


@pytest.mark.django_db
def test_opening_the_confirmation_link_does_not_verify_by_itself(client):
    sign_up(client)

    client.get(confirmation_path(mail.outbox[0]))

    assert EmailAddress.objects.get(email="grace@example.com").verified is False


@pytest.mark.django_db
def test_an_invalid_confirmation_link_explains_itself(client):
    response = client.get("/en/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()


@pytest.mark.django_db
def test_a_verified_member_can_log_in_and_is_greeted_by_name(client, help_centers):
    UserFactory(email="linus@example.com", display_name="Linus")

    response = client.post("/en/accounts/login/", {"login": "linus@example.com", "password": PASSWORD}, follow=True)

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert "Linus" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_form_error(client):
    UserFactory(email="linus@example.com")

    response = client.post("/en/accounts/login/", {"login": "linus@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_log_out_takes_a_post(client):
    user = UserFactory()
    client.force_login(user)

    shown = client.get("/en/accounts/logout/")
    still_in = "_auth_user_id" in client.session
    logged_out = client.post("/en/accounts/logout/")

    assert shown.status_code == 200
    assert still_in
    assert logged_out.status_code == 302
    assert "_auth_user_id" not in client.session
