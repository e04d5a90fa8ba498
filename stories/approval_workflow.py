"""The "Story approval" workflow: editorial review (the Editors group), then the customer's approval
(stories.models.CustomerApprovalTask), then publish. Made by code after every ``migrate``
(stories.signals), never by a data migration, and assigned to every language's story index;
idempotent: a second run changes nothing.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from stories.models import CustomerApprovalTask, StoryIndexPage

WORKFLOW_NAME = "Story approval"
REVIEW_TASK_NAME = "Story editorial review"
CUSTOMER_TASK_NAME = "Story customer approval"
REVIEW_GROUPS = ["Editors"]


@transaction.atomic
def ensure_story_workflow() -> Workflow:
    """The workflow and its two tasks, made when missing, and assigned to each story index."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    review = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if review is None:
        review = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
        review.groups.set(Group.objects.filter(name__in=REVIEW_GROUPS))
    customer = CustomerApprovalTask.objects.filter(name=CUSTOMER_TASK_NAME).first()
    if customer is None:
        customer = CustomerApprovalTask.objects.create(name=CUSTOMER_TASK_NAME)
    for order, task in enumerate([review, customer]):
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    for story_index in StoryIndexPage.objects.all():
        if not WorkflowPage.objects.filter(page=story_index).exists():
            WorkflowPage.objects.create(page=story_index, workflow=workflow)
    return workflow
