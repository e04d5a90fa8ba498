"""Display names become unique, case- and confusable-insensitively (accounts.models).

Existing look-alike names are resolved deterministically before the constraint is added: among
the accounts whose names share a key, staff keep theirs first (superusers before other staff),
then the account that joined first (ties by id); each other account is renamed to the first free
"Name 2", "Name 3", ... So a member who copied a moderator's name is the one renamed, and the
moderator's mentions reach the moderator again.
"""

from django.db import migrations, models

from accounts.lookalikes import name_key, numbered_names


def fill_keys_and_resolve_look_alikes(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    max_length = User._meta.get_field("display_name").max_length
    users = list(User.objects.exclude(display_name="").order_by("-is_superuser", "-is_staff", "date_joined", "pk"))
    taken = set()
    for user in users:
        key = name_key(user.display_name)
        if key in taken:
            user.display_name, key = next(
                (candidate, name_key(candidate))
                for candidate in numbered_names(user.display_name, max_length)
                if name_key(candidate) not in taken
            )
        if key:
            taken.add(key)
        user.display_name_key = key
    User.objects.bulk_update(users, ["display_name", "display_name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys_and_resolve_look_alikes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("display_name_key", ""), _negated=True),
                fields=("display_name_key",),
                name="accounts_user_unique_display_name_key",
            ),
        ),
    ]
