"""Staff roles exist as groups after migrating, each able to reach the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group

STAFF_GROUPS = ["Editors", "Support agents", "Community moderators", "Council managers"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_GROUPS)
def test_staff_group_exists_and_can_access_the_admin(name):
    group = Group.objects.get(name=name)

    assert group.permissions.filter(content_type__app_label="wagtailadmin", codename="access_admin").exists()
