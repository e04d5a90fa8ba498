"""The customer timeline and the customers list are staff pages: support agents (view follow-up)
and superusers only; anyone else gets the admin's login or its "permission denied"."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory
from tests.support.admin_helpers import XHR, an_agent, an_editor

pytestmark = pytest.mark.django_db

CUSTOMERS = "/admin/customers/"


def urls_for(customer) -> list[str]:
    return [CUSTOMERS, f"{CUSTOMERS}{customer.pk}/", f"{CUSTOMERS}?tab=follow-up"]


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    for url in urls_for(UserFactory()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["the customer", "another member"])
def test_a_logged_in_customer_is_refused(client, who):
    customer = UserFactory(email="private@example.com")
    client.force_login(customer if who == "the customer" else UserFactory())

    for url in urls_for(customer):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_without_the_permission_is_refused(client):
    customer = UserFactory(email="private@example.com")
    client.force_login(an_editor())

    for url in urls_for(customer):
        refused = client.get(url)
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert client.get(url, **XHR).status_code == 403
    assert "private@example.com" not in client.get("/admin/", follow=True).content.decode()


def test_a_support_agent_opens_both_pages(client):
    customer = UserFactory(email="private@example.com")
    client.force_login(an_agent())

    for url in urls_for(customer):
        assert client.get(url).status_code == 200


def test_an_editor_given_view_follow_up_opens_them(client):
    editor = an_editor()
    editor.user_permissions.add(Permission.objects.get(codename="view_followup"))
    client.force_login(editor)

    assert client.get(f"{CUSTOMERS}{UserFactory().pk}/").status_code == 200


def test_a_superuser_opens_them(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(CUSTOMERS).status_code == 200


def test_agents_find_the_customers_page_in_the_support_menu(client):
    client.force_login(an_agent())

    assert CUSTOMERS in client.get("/admin/").content.decode()


def test_editors_do_not_see_it_in_the_menu(client):
    client.force_login(an_editor())

    assert CUSTOMERS not in client.get("/admin/").content.decode()
