from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from stories.feeds import LatestStoriesRssFeed
from stories.measuring import record_story_view
from stories.models import Consent, StoryPage, StorySubmission
from stories.reports import StoryReportViewSet
from stories.viewsets import CustomerViewSet
from stories.viewsets_consent import (
    consent_ledger_viewset,
    refuse_live_story_copies,
    refuse_unapproved_bulk_publish,
    refuse_unapproved_publish,
)
from stories.viewsets_submissions import StorySubmissionViewSet, SubmissionPermissionPolicy
from stories.viewsets_submissions import register_log_actions as register_submission_log_actions

register_snippet(CustomerViewSet)
register_permission_policy(StorySubmission, SubmissionPermissionPolicy(StorySubmission))
register_snippet(StorySubmissionViewSet)
hooks.register("register_log_actions", register_submission_log_actions)

hooks.register("register_admin_viewset", StoryReportViewSet)


# After Wagtail's own view-restriction check (order 0): a refused reader has not read the story.
@hooks.register("before_serve_page", order=1)
def count_story_views(page, request, serve_args, serve_kwargs):
    if isinstance(page, StoryPage):
        record_story_view(page, request)


hooks.register("register_admin_viewset", lambda: consent_ledger_viewset)
hooks.register("before_publish_page", refuse_unapproved_publish)
hooks.register("before_bulk_action", refuse_unapproved_bulk_publish)
hooks.register("before_copy_page", refuse_live_story_copies)


# The customer_voice digest's stories section ("digest_sections": the hook is named there; this app
# never imports it). The feed's own queryset: live, public stories of the language; a story is live
# only with its customer's consent, and the consent is checked again here in the same way.
@hooks.register("digest_sections")
def stories_digest_section(language, since, until):
    stories = [story for story in LatestStoriesRssFeed().items(language) if since <= story.last_published_at < until]
    today = timezone.localdate()
    consented = set(
        Consent.objects.filter(story_id__in=[story.pk for story in stories], approved_at__isnull=False)
        .filter(withdrawn_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("story_id", flat=True)
    )
    return {
        "title": gettext("Customer stories"),
        "items": [
            {"title": story.headline, "url": story.get_url(None) or "", "summary": story.summary}
            for story in stories
            if story.pk in consented
        ],
    }
