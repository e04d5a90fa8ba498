"""Every migrate makes or repairs the story index of each language (connected in StoriesConfig.ready)."""

from django.db.models.signals import post_migrate

from stories.sections import ensure_story_indexes


def set_up_after_migrate(sender, **kwargs):
    # provides args: app_config, verbosity, interactive, using, apps, plan
    """After every ``migrate`` (make setup, a deploy): a story index under each help center that
    exists (idempotent). A help center made later gets its index at the next migrate."""
    if kwargs.get("using", "default") != "default":
        return
    ensure_story_indexes()


def connect_receivers(app_config) -> None:
    post_migrate.connect(set_up_after_migrate, sender=app_config, dispatch_uid="stories.set_up_after_migrate")
