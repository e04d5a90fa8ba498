"""Staff roles as groups.

Wagtail's own migrations already create "Editors" (draft and submit pages) and "Moderators"
(approve and publish pages, the moderation workflow's reviewers). We add the roles Wagtail does not
know: support agents, community moderators (forum, not page publishing) and council managers.
Their feature permissions are granted by the migrations of the apps that define those features.
"""

from django.db import migrations

STAFF_GROUPS = ["Editors", "Support agents", "Community moderators", "Council managers"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in STAFF_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=STAFF_GROUPS[1:]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
