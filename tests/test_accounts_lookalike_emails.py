"""Look-alike email addresses: normalised wherever an address enters, refused when they mix scripts.

A zero-width space or fullwidth letters make an address that mail systems deliver to the real
owner; a Cyrillic letter makes one that passes for it. Neither may become a second account.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from support.models import Ticket
from tests.factories import PASSWORD, UserFactory
from tests.support.helpers import a_reader

User = get_user_model()

pytestmark = pytest.mark.django_db

OWNER = "member@example.com"
MIXED_SCRIPTS = "mixes letters from different alphabets"
ZERO_WIDTH_SPACE = "\u200b"
CYRILLIC_A = "\u0430"
CYRILLIC_IE = "\u0435"


@pytest.fixture
def owner():
    return UserFactory(email=OWNER, display_name="Casey Customer")


def sign_up(client, email):
    return client.post(
        "/en/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "", "referral_source": ""},
    )


def confirmation_links_sent() -> list[str]:
    return [message.to[0] for message in mail.outbox if "/confirm-email/" in message.body]


@pytest.mark.parametrize(
    "look_alike",
    [
        pytest.param(OWNER + ZERO_WIDTH_SPACE, id="zero-width-space-after"),
        pytest.param("mem\u00adber@example.com", id="soft-hyphen-inside"),
        pytest.param("member@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com", id="fullwidth-domain"),
        pytest.param("\uff2d\uff25\uff2d\uff22\uff25\uff32@example.com", id="fullwidth-local-part"),
    ],
)
def test_signing_up_with_a_look_alike_of_a_members_address_is_a_duplicate_not_a_new_account(client, owner, look_alike):
    response = sign_up(client, look_alike)

    # The same answer as for the owner's exact address: the page never tells who is a member.
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert list(User.objects.values_list("email", flat=True)) == [OWNER]
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [OWNER]
    assert confirmation_links_sent() == []
    assert all(message.to == [OWNER] for message in mail.outbox)


def test_a_look_alike_sign_up_is_answered_exactly_like_one_with_the_owners_address(client, owner):
    sign_up(client, OWNER)
    exact = [(message.to, message.subject) for message in mail.outbox]
    mail.outbox.clear()

    sign_up(client, OWNER.upper() + ZERO_WIDTH_SPACE)

    assert [(message.to, message.subject) for message in mail.outbox] == exact


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(f"member@ex{CYRILLIC_A}mple.com", id="cyrillic-a-in-the-domain"),
        pytest.param(f"m{CYRILLIC_IE}mber@example.com", id="cyrillic-ie-in-the-local-part"),
        pytest.param("member@\u043f\u0440\u0438\u043c\u0435\u0440.com", id="cyrillic-label-under-a-latin-tld"),
    ],
)
def test_signing_up_with_a_mixed_script_address_is_refused_with_a_clear_message(client, owner, address):
    response = sign_up(client, address)

    assert response.status_code == 200
    assert MIXED_SCRIPTS in response.content.decode()
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert mail.outbox == []


def test_signing_up_with_a_dotless_i_before_the_at_is_refused(client, owner):
    response = sign_up(client, "adm\u0131n@example.com")

    assert response.status_code == 200
    assert "use only unaccented Latin letters" in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_an_ascii_mailbox_at_an_all_cyrillic_domain_may_sign_up(client):
    # The documented decision (accounts.lookalikes.validate_email_scripts): real IDN addresses work.
    sign_up(client, "ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444")

    assert User.objects.filter(email="ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444").exists()


def test_logging_in_with_a_look_alike_of_the_address_reaches_that_account(client, owner):
    response = client.post(
        "/en/accounts/login/", {"login": "Member@Example.com" + ZERO_WIDTH_SPACE, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_password_reset_for_a_look_alike_address_mails_the_account_at_its_real_address(client, owner):
    response = client.post(
        "/en/accounts/password/reset/", {"email": "\uff2d\uff25\uff2d\uff22\uff25\uff32@example.com\u200b"}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [OWNER]
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


def test_adding_an_address_stores_it_without_invisible_characters(client, owner):
    client.force_login(owner)

    client.post("/en/accounts/email/", {"email": "second@example.com" + ZERO_WIDTH_SPACE, "action_add": ""})

    assert set(EmailAddress.objects.filter(user=owner).values_list("email", flat=True)) == {
        OWNER,
        "second@example.com",
    }


def test_adding_a_mixed_script_address_is_refused(client, owner):
    client.force_login(owner)

    response = client.post("/en/accounts/email/", {"email": f"member@ex{CYRILLIC_A}mple.org", "action_add": ""})

    assert MIXED_SCRIPTS in response.content.decode()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [OWNER]
    assert mail.outbox == []


def contact(client, email):
    response = client.get("/en/support/contact/")
    return client.post(
        "/en/support/contact/",
        {
            "subject": "Wi-Fi drops every few minutes",
            "description": "Since the update my laptop loses the wireless network every few minutes.",
            "email": email,
            "visit": response.context["visit_id"],
            "website": "",
        },
    )


def test_the_contact_form_stores_a_look_alike_as_the_address_it_imitates(
    help_centers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact(a_reader(), "Customer@Example.com" + ZERO_WIDTH_SPACE)

    assert list(Ticket.objects.values_list("requester_email", flat=True)) == ["customer@example.com"]


def test_the_contact_form_refuses_a_mixed_script_address(help_centers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = contact(a_reader(), f"customer@ex{CYRILLIC_A}mple.com")

    assert response.status_code == 400
    assert MIXED_SCRIPTS in response.content.decode()
    assert not Ticket.objects.exists()
    assert mail.outbox == []
