"""Support agents work the inbox, read the support reports and draft help articles.

* ``view_ticket`` and ``change_ticket``: the inbox (reply, status, resolve with an article);
* ``view_event``: the support reports and the dashboard panel;
* Wagtail "add" page permission at the root: agents may draft help articles from tickets (and
  edit their own drafts); publishing stays with Editors and Moderators.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Support agents"
MODEL_PERMISSIONS = ["view_ticket", "change_ticket", "view_event"]


def _create_permissions(apps, app_label):
    # Model permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    _create_permissions(apps, "support")
    _create_permissions(apps, "wagtailcore")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group = Group.objects.filter(name=AGENTS).first()
    if group is None:
        return
    group.permissions.add(*Permission.objects.filter(content_type__app_label="support", codename__in=MODEL_PERMISSIONS))
    root = Page.objects.filter(depth=1).order_by("path").first()
    add_page = Permission.objects.filter(content_type__app_label="wagtailcore", codename="add_page").first()
    if root is not None and add_page is not None:
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=add_page)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group = Group.objects.filter(name=AGENTS).first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="support", codename__in=MODEL_PERMISSIONS)
    )
    GroupPagePermission.objects.filter(
        group=group, page__depth=1, permission__content_type__app_label="wagtailcore", permission__codename="add_page"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
