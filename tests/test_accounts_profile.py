"""The profile page: display name, language and newsletter consent, for the signed-in person only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import UserFactory

User = get_user_model()
PROFILE = "/en/accounts/profile/"


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.com", display_name="Member One", preferred_language="en")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def profile_data(**overrides):
    data = {"display_name": "Member One", "preferred_language": "en"}
    data.update(overrides)
    return data


def test_profile_requires_login(client, db):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_profile_shows_name_language_consent_and_account_links(member_client):
    response = member_client.get(PROFILE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Member One"' in html
    assert 'name="preferred_language"' in html
    assert 'name="marketing_opt_in"' in html
    assert "You do not receive newsletters or digests." in html
    assert 'href="/en/accounts/password/change/"' in html
    assert 'href="/en/accounts/email/"' in html


def test_profile_saves_display_name_and_language(member_client, member):
    response = member_client.post(PROFILE, profile_data(display_name="Ada L.", preferred_language="he"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Ada L."
    assert member.preferred_language == "he"


def test_opting_in_on_the_profile_records_when_and_shows_it(member_client, member):
    member_client.post(PROFILE, profile_data(marketing_opt_in="on"))
    member.refresh_from_db()
    page = member_client.get(PROFILE)

    assert member.marketing_opt_in is True
    assert member.marketing_opt_in_at is not None
    assert "You agreed to newsletters and digests on" in page.content.decode()


def test_saving_again_keeps_the_original_time_of_consent(member_client, member):
    member_client.post(PROFILE, profile_data(marketing_opt_in="on"))
    member.refresh_from_db()
    first_consent = member.marketing_opt_in_at

    member_client.post(PROFILE, profile_data(display_name="Renamed", marketing_opt_in="on"))

    member.refresh_from_db()
    assert member.marketing_opt_in_at == first_consent


def test_opting_out_clears_consent(member_client, member):
    member_client.post(PROFILE, profile_data(marketing_opt_in="on"))

    member_client.post(PROFILE, profile_data())

    member.refresh_from_db()
    assert member.marketing_opt_in is False
    assert member.marketing_opt_in_at is None


def test_invalid_profile_input_answers_400_with_errors_and_saves_nothing(member_client, member):
    response = member_client.post(PROFILE, profile_data(display_name="New name", preferred_language="xx"))

    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_preferred_language_error" role="alert">' in html
    assert 'aria-invalid="true"' in html
    member.refresh_from_db()
    assert member.display_name == "Member One"
    # The header still shows the stored name, not the unsaved one.
    assert "New name" not in html.split("<main", 1)[0]


def test_an_empty_post_is_a_400_not_a_silent_success(member_client):
    response = member_client.post(PROFILE, {})

    assert response.status_code == 400


def test_profile_rejects_a_post_without_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(PROFILE, profile_data(display_name="Forged"))

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "Member One"


def test_profile_form_carries_a_csrf_token(member_client):
    response = member_client.get(PROFILE)

    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
