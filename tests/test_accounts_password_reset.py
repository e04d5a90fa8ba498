"""Password reset: the mail with a one-time link, setting a new password, logging in with it."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

OLD_PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 42"


def reset_link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_password_reset_mails_a_link_to_a_known_address(client):
    UserFactory(email="joan@example.com")

    response = client.post("/en/accounts/password/reset/", {"email": "joan@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["joan@example.com"]
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_no_link(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_reset_link_sets_a_new_password_that_logs_in(client):
    user = UserFactory(email="joan@example.com")
    client.post("/en/accounts/password/reset/", {"email": "joan@example.com"})

    # The link redirects once to a key-less URL kept in the session, so it does not leak via Referer.
    form_page = client.get(reset_link_path(mail.outbox[0]), follow=True)
    form_path = form_page.redirect_chain[-1][0]
    changed = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    old_refused = client.post("/en/accounts/login/", {"login": "joan@example.com", "password": OLD_PASSWORD})
    new_accepted = client.post("/en/accounts/login/", {"login": "joan@example.com", "password": NEW_PASSWORD})

    assert form_page.status_code == 200
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert old_refused.status_code == 200
    assert new_accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_used_reset_link_cannot_be_used_again(client):
    UserFactory(email="joan@example.com")
    client.post("/en/accounts/password/reset/", {"email": "joan@example.com"})
    link = reset_link_path(mail.outbox[0])
    form_path = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert "invalid" in response.content.decode()


@pytest.mark.django_db
def test_login_page_links_to_password_reset(client):
    response = client.get("/en/accounts/login/")

    assert 'href="/en/accounts/password/reset/"' in response.content.decode()
