"""Who works with customer voice in the admin.

* Support agents: the detractor follow-ups (view, change) beside their inbox, survey answers
  (view: the NPS report and the comments), and the customer timeline (view_followup opens it).
* Council managers: survey answers (view), to read their council survey runs in the report.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Support agents": ["view_followup", "change_followup", "view_surveyresponse", "view_referral"],
    "Council managers": ["view_surveyresponse", "view_surveyrun", "add_surveyrun"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("customer_voice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="customer_voice", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="customer_voice", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("customer_voice", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
