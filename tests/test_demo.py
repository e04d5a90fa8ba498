"""manage.py load_demo builds the demo site and changes nothing when run again.

The corpus is a small copy of the fixtures laid out like shared/corpora, so the test stays fast.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from demo.management.commands.load_demo import DEMO_ACCOUNTS
from kb.models import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures"
README = Path(settings.BASE_DIR) / "README.md"
#: README rows look like "| editor (Editors group) | editor@example.com | demo-editor-pass |".
README_ACCOUNT = re.compile(r"^\|[^|]+\|\s*(\S+@example\.com)\s*\|\s*(\S+)\s*\|$", re.MULTILINE)


@pytest.fixture
def small_corpus(settings, tmp_path):
    shutil.copytree(FIXTURES / "articles", tmp_path / "gnome-help-structured")
    settings.CORPORA_DIR = tmp_path
    return tmp_path


def load_demo() -> str:
    stdout = io.StringIO()
    call_command("load_demo", "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def site_state() -> dict:
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live")),
        "revisions": Revision.objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "password", "is_staff")),
        "groups": sorted(get_user_model().groups.through.objects.values_list("user_id", "group_id")),
    }


def readme_accounts() -> dict[str, str]:
    return dict(README_ACCOUNT.findall(README.read_text(encoding="utf-8")))


def test_loading_the_demo_twice_changes_nothing_the_second_time(db, small_corpus):
    first_output = load_demo()
    state_after_first_run = site_state()

    second_output = load_demo()

    assert "GNOME Help: created 3, updated 0, unchanged 0, failed 0" in first_output
    assert "GNOME Help: created 0, updated 0, unchanged 3, failed 0" in second_output
    assert site_state() == state_after_first_run
    assert ArticlePage.objects.live().count() == 3


def test_the_readme_lists_every_demo_account(db):
    assert readme_accounts() == {email: password for email, password, *_rest in DEMO_ACCOUNTS}


def test_every_demo_account_logs_in_with_the_readme_password(client, db, small_corpus):
    load_demo()

    for email, password in readme_accounts().items():
        response = client.post("/en/accounts/login/", {"login": email, "password": password})

        assert response.status_code == 302, f"{email} cannot log in"
        assert client.session["_auth_user_id"] == str(get_user_model().objects.get(email=email).pk)
        client.logout()


@pytest.mark.parametrize(
    "email, group",
    [
        ("editor@example.com", "Editors"),
        ("agent@example.com", "Support agents"),
        ("moderator@example.com", "Community moderators"),
    ],
)
def test_demo_staff_accounts_are_in_their_groups(db, small_corpus, email, group):
    load_demo()

    user = get_user_model().objects.get(email=email)

    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.is_staff and not user.is_superuser


def test_the_demo_admin_is_a_superuser(db, small_corpus):
    load_demo()

    admin = get_user_model().objects.get(email="admin@example.com")

    assert admin.is_superuser and admin.is_staff
