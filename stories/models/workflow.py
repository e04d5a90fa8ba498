"""The customer-approval step of a story's Wagtail workflow (editorial review, then this, then
publish). Starting it emails the customer's contact a signed link to the exact revision
(stories.services.consent); the customer's answer completes or rejects the task. Staff cannot
approve it on the customer's behalf in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Task


class CustomerApprovalTask(Task):
    class Meta:
        verbose_name = _("customer approval")
        verbose_name_plural = _("customer approvals")
