"""Every migrate makes or repairs the story index of each language and the "Story approval"
workflow; the customer-approval task emails its link when it starts (connected in StoriesConfig.ready)."""

from django.db.models.signals import post_migrate
from wagtail.signals import task_submitted

from stories.approval_workflow import ensure_story_workflow
from stories.models import CustomerApprovalTask
from stories.sections import ensure_story_indexes
from stories.services import consent
from stories.services.submissions import grant_staff_permissions as grant_submission_permissions


def set_up_after_migrate(sender, **kwargs):
    # provides args: app_config, verbosity, interactive, using, apps, plan
    """After every ``migrate`` (make setup, a deploy): a story index under each help center that
    exists (idempotent). A help center made later gets its index at the next migrate."""
    if kwargs.get("using", "default") != "default":
        return
    ensure_story_indexes()
    ensure_story_workflow()
    grant_submission_permissions()


def send_customer_approval_link(sender, instance, user=None, **kwargs):
    # provides args: instance (the TaskState just started), user
    """A task has started (Wagtail's ``task_submitted``, sent for every task type): if it is the
    customer's approval, email the customer the link to the task's revision."""
    if issubclass(instance.task.specific_class, CustomerApprovalTask):
        consent.send_approval_link(instance)


def connect_receivers(app_config) -> None:
    post_migrate.connect(set_up_after_migrate, sender=app_config, dispatch_uid="stories.set_up_after_migrate")
    task_submitted.connect(send_customer_approval_link, dispatch_uid="stories.send_customer_approval_link")
