"""Editors manage products (the snippet articles are tagged with) besides pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRODUCT_PERMISSIONS = ["add_product", "change_product", "delete_product"]


def grant(apps, schema_editor):
    # Model permissions are normally created after all migrations; create kb's now so they can be granted.
    app_config = apps.get_app_config("kb")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=PRODUCT_PERMISSIONS)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=PRODUCT_PERMISSIONS)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
