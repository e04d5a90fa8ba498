"""Editors and support agents read the search reports (the "view search event" permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORT_GROUPS = ["Editors", "Support agents"]
REPORT_PERMISSIONS = ["view_searchevent"]


def grant(apps, schema_editor):
    # Model permissions are normally created after all migrations; create kb's now so they can be granted.
    app_config = apps.get_app_config("kb")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=REPORT_PERMISSIONS)
    for group in Group.objects.filter(name__in=REPORT_GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=REPORT_PERMISSIONS)
    for group in Group.objects.filter(name__in=REPORT_GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0003_search_analytics"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
