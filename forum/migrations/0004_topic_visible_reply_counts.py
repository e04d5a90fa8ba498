"""A topic's reply count and last page follow what every reader sees, not every position taken.

Until now the reply count was ``post_count - 1`` and the pages ran to ``post_count``: a reply held
for approval raised the public count and added an empty last page. ``reply_count`` counts the
approved replies that are neither hidden nor deleted; ``last_approved_position`` is the highest
position of an approved post. Both are computed here from the posts, then kept in step by
forum.services.
"""

from django.db import migrations, models
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def recount(apps, schema_editor):
    Topic = apps.get_model("forum", "Topic")
    Post = apps.get_model("forum", "Post")
    approved = Post.objects.filter(topic=OuterRef("pk"), is_approved=True).order_by().values("topic")
    replies = approved.filter(position__gt=1, is_hidden=False, deleted_at__isnull=True).annotate(n=Count("pk"))
    Topic.objects.update(
        reply_count=Coalesce(Subquery(replies.values("n")), 0, output_field=IntegerField()),
        last_approved_position=Coalesce(
            Subquery(approved.annotate(last=Max("position")).values("last")), 0, output_field=IntegerField()
        ),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0003_moderation'),
    ]

    operations = [
        migrations.AddField(
            model_name='topic',
            name='last_approved_position',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='topic',
            name='reply_count',
            field=models.PositiveIntegerField(default=0, verbose_name='replies'),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
