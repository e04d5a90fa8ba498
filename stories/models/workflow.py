"""The customer-approval step of a story's Wagtail workflow (editorial review, then this, then
publish). Starting it emails the customer's contact a signed link to the exact revision
(stories.services.consent); the customer's answer completes or rejects the task. Staff cannot
approve it on the customer's behalf in the admin."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


class CustomerApprovalTask(Task):
    """Answered only by the customer's link (stories.services.consent calls the task state's
    ``approve`` or ``reject``); the admin offers staff no action on it."""

    def get_actions(self, obj, user):
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        raise PermissionDenied("Only the customer approves a story, through their emailed link.")

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("The customer's contact approves the exact revision through a link emailed to them")

    class Meta:
        verbose_name = _("customer approval")
        verbose_name_plural = _("customer approvals")
