"""What a fresh install needs before the first invitation: the access group and idea statuses.

"Council members" is the group whose members may see council content *now* (an active term and
the current agreements accepted): customer_council.access keeps it in step with memberships, and
Wagtail privacy, search audiences and the forum's restricted categories read it. Nobody adds
people to it by hand. Statuses are the usual idea-board set; managers rename, add and reorder.
"""

from django.db import migrations

ACCESS_GROUP = "Council members"
STATUSES = [
    ("Open", "open", True),
    ("Under review", "open", False),
    ("Planned", "planned", False),
    ("In progress", "in_progress", False),
    ("Shipped", "shipped", False),
    ("Declined", "declined", False),
    ("Duplicate", "duplicate", False),
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    IdeaStatus = apps.get_model("customer_council", "IdeaStatus")
    Group.objects.get_or_create(name=ACCESS_GROUP)
    for position, (name, kind, is_default) in enumerate(STATUSES):
        IdeaStatus.objects.get_or_create(name=name, defaults={"kind": kind, "position": position, "is_default": is_default})


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ACCESS_GROUP).delete()
    apps.get_model("customer_council", "IdeaStatus").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("customer_council", "0001_initial"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(create, remove)]
