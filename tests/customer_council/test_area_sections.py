"""The council's Wagtail subtree: one restricted section per language, served to members only."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import PageViewRestriction

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP
from customer_council.models import CouncilIndexPage
from customer_council.sections import ensure_council_section, ensure_council_sections
from tests.customer_council.area_helpers import make_council_page
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_council_manager, make_council_member

pytestmark = pytest.mark.django_db


def test_every_language_gets_one_council_section_restricted_to_the_council_groups(help_centers):
    sections = ensure_council_sections()

    assert len(sections) == len(help_centers)
    for section in sections:
        assert section.slug == "council" and section.live
        restriction = PageViewRestriction.objects.get(page=section)
        assert restriction.restriction_type == PageViewRestriction.GROUPS
        assert set(restriction.groups.values_list("name", flat=True)) == {ACCESS_GROUP, MANAGERS_GROUP}
    assert len({section.translation_key for section in sections}) == 1, "the sections translate one another"


def test_making_the_sections_again_changes_nothing(help_centers):
    first = ensure_council_sections()
    second = ensure_council_sections()

    assert [page.pk for page in first] == [page.pk for page in second]
    assert CouncilIndexPage.objects.count() == len(help_centers)
    assert PageViewRestriction.objects.filter(page__in=[page.pk for page in first]).count() == len(first)


def test_a_loosened_restriction_is_put_back(help_centers):
    section = ensure_council_section(help_centers["en"])
    restriction = PageViewRestriction.objects.get(page=section)
    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()
    restriction.groups.clear()
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)

    ensure_council_section(help_centers["en"])

    restriction = PageViewRestriction.objects.get(page=section)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.all()) == set(Group.objects.filter(name__in=[ACCESS_GROUP, MANAGERS_GROUP]))


def test_the_section_title_is_in_the_help_centers_language(help_centers):
    english = ensure_council_section(help_centers["en"])
    russian = ensure_council_section(help_centers["ru"])

    with translation.override("ru"):
        expected = translation.gettext("Customer advisory council")
    assert english.title == "Customer advisory council"
    assert russian.title == expected


def test_a_member_reads_a_council_page_and_a_manager_too(client, help_centers):
    make_agreements()
    page = make_council_page(help_centers["en"], "Zephyr roadmap briefing", "quasar")

    for user in (make_council_member(), make_council_manager()):
        client.force_login(user)
        response = client.get(page.url)
        assert response.status_code == 200
        assert "Zephyr roadmap briefing" in response.content.decode()
        assert "quasar" in response.content.decode()
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "editor"])
def test_nobody_else_sees_a_council_page_not_even_its_title(client, help_centers, who):
    page = make_council_page(help_centers["en"], "Zephyr roadmap briefing", "quasar")
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "editor":
        editor = UserFactory()
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)

    response = client.get(page.url, follow=True)

    body = response.content.decode()
    assert "Zephyr" not in body and "quasar" not in body
    if who == "anonymous":
        assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    else:
        assert response.status_code == 403, "a logged-in outsider is told what the area is, not sent to log in"
        assert "This area is for members of the customer advisory council" in body
    first = client.get(page.url)
    assert "no-store" in first["Cache-Control"] and "noindex" in first["X-Robots-Tag"]
