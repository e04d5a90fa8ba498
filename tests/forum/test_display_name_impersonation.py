"""Impersonation by display name: a name is held by one account, whatever its case or look-alikes,
so nobody can pass for a moderator and an @mention of the moderator always reaches them."""

import importlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.forms import ProfileForm
from forum import services
from forum.models import Notification, Post
from tests.factories import PASSWORD, UserFactory
from tests.factories.forum import make_category, make_member, make_moderator, make_topic

User = get_user_model()

pytestmark = pytest.mark.django_db

NAME = "Mo Moderator"
TAKEN = "This name is taken"
LOOK_ALIKES = [
    pytest.param("Mo Moderator", id="same"),
    pytest.param("mo moderator", id="lower-case"),
    pytest.param("MO MODERATOR", id="upper-case"),
    pytest.param("Mo M\u043ederator", id="cyrillic-o"),
    pytest.param("Mo Mod\u200derator", id="zero-width-joiner"),
    pytest.param("Mo  Moderator", id="double-space"),
    pytest.param("\uff2do Moderator", id="fullwidth-m"),
    pytest.param("Mo M0derator", id="digit-zero"),
]


@pytest.fixture
def moderator():
    return make_moderator(email="mo@example.com", display_name=NAME)


@pytest.fixture
def member_client(client):
    member = make_member(email="eve@example.com", display_name="Eve")
    client.force_login(member)
    return client


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_a_member_cannot_take_a_moderators_name_on_the_profile_page(member_client, moderator, look_alike):
    response = member_client.post("/en/accounts/profile/", {"display_name": look_alike, "preferred_language": "en"})

    assert response.status_code == 400
    assert TAKEN in response.content.decode()
    assert User.objects.get(email="eve@example.com").display_name == "Eve"


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_signing_up_cannot_take_a_moderators_name(client, moderator, look_alike):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "eve@example.com", "password1": PASSWORD, "password2": PASSWORD, "display_name": look_alike},
    )

    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert not User.objects.filter(email="eve@example.com").exists()


def test_the_database_refuses_a_second_holder_of_a_look_alike_name(moderator):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="eve@example.com", display_name="MO M\u043eDERATOR")


def test_after_a_member_tries_to_take_the_name_a_mention_still_reaches_the_moderator(
    member_client, moderator, django_capture_on_commit_callbacks
):
    member_client.post("/en/accounts/profile/", {"display_name": "mo moderator", "preferred_language": "en"})
    topic = make_topic()

    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(make_member(), topic, "Could @[Mo Moderator] have a look?")

    assert f'href="/en/forum/u/{moderator.pk}/"' in post.body_html
    assert list(Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)) == [moderator.pk]


def test_a_mention_written_with_a_look_alike_letter_reaches_the_owner_and_shows_their_name(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(make_member(), make_topic(), "Thanks @[MO M\u043eDERATOR]!")

    assert f'href="/en/forum/u/{moderator.pk}/"' in post.body_html
    assert "@Mo Moderator</a>" in post.body_html
    assert list(Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)) == [moderator.pk]


def test_a_member_may_write_their_own_name_in_another_case(client, moderator):
    client.force_login(moderator)

    response = client.post("/en/accounts/profile/", {"display_name": "MO MODERATOR", "preferred_language": "en"})

    assert response.status_code == 302
    assert User.objects.get(pk=moderator.pk).display_name == "MO MODERATOR"


def test_the_migration_keeps_a_name_for_staff_then_the_earliest_account_and_numbers_the_others():
    migration = importlib.import_module("accounts.migrations.0003_user_display_name_key")
    now = timezone.now()
    early_member = UserFactory(email="early@example.com", date_joined=now - timedelta(days=30))
    moderator = UserFactory(email="mo@example.com", is_staff=True, date_joined=now)
    late_member = UserFactory(email="late@example.com", date_joined=now - timedelta(days=1))
    # As before the constraint: three look-alike names, no keys yet.
    for user, name in [(early_member, "mo moderator"), (moderator, NAME), (late_member, "MO M\u043eDERATOR")]:
        User.objects.filter(pk=user.pk).update(display_name=name, display_name_key="")

    migration.fill_keys_and_resolve_look_alikes(apps, None)

    names = dict(User.objects.values_list("email", "display_name"))
    assert names["mo@example.com"] == NAME
    assert names["early@example.com"] == "mo moderator 2"
    assert names["late@example.com"] == "MO M\u043eDERATOR 3"
    assert User.objects.holding_display_name("Mo Moderator").get() == moderator


def test_an_import_runs_when_a_member_already_holds_the_placeholders_name():
    category = make_category("Coffee")
    category.slug = "coffee"
    category.save()
    member = make_member(display_name="fixtures (imported)")
    fixture = Path(__file__).parent / "fixtures" / "Posts.xml"

    call_command("import_stackexchange", str(fixture), category="coffee", no_progress=True, stdout=io.StringIO())

    placeholder = Post.objects.get(source_id="2").author
    assert placeholder != member
    assert placeholder.display_name == "fixtures (imported) 2"


def test_a_name_taken_between_checking_and_saving_the_profile_is_refused_not_an_error():
    member = make_member(email="eve@example.com", display_name="Eve")
    form = ProfileForm({"display_name": NAME, "preferred_language": "en"}, instance=member)
    assert form.is_valid()
    make_moderator(email="mo@example.com", display_name=NAME)  # someone else saved it meanwhile

    assert form.save_or_refuse() is False
    assert TAKEN in str(form.errors["display_name"])
    assert User.objects.get(email="eve@example.com").display_name == "Eve"
