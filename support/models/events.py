"""The support event log: every deflection and resolution figure is a query over these rows.

One :class:`Event` row per thing a reader or an agent did (an article read, a vote, suggestions
shown or opened, "this solved my problem", a contact form started, a ticket opened or resolved,
a forum answer accepted). Nothing is counted by hand: reports group and join these rows.

Only support.events.record_event writes them. A reader is identified by ``visitor_id`` (the random
first-party cookie of sitewide.visitor) and, when logged in, ``user``: never an IP address.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class Event(models.Model):
    class Kind(models.TextChoices):
        ARTICLE_VIEWED = "article_viewed", _("Article viewed")
        VOTED = "voted", _("Voted on an article")
        SUGGESTIONS_SHOWN = "suggestions_shown", _("Suggestions shown")
        SUGGESTION_OPENED = "suggestion_opened", _("Suggestion opened")
        #: The reader clicked "This solved my problem" (the explicit deflection).
        SOLVED_CONFIRMED = "solved_confirmed", _("Solved confirmed")
        CONTACT_STARTED = "contact_started", _("Contact form started")
        TICKET_CREATED = "ticket_created", _("Ticket created")
        #: An agent resolved a ticket with an article.
        TICKET_RESOLVED = "ticket_resolved", _("Ticket resolved with an article")
        #: An accepted forum answer links an article.
        FORUM_ANSWER_ACCEPTED = "forum_answer_accepted", _("Forum answer accepted")
        #: A reader opened a customer story (its page is ``article``); stories.measuring records it.
        STORY_VIEWED = "story_viewed", _("Story viewed")
        #: A visitor created an account (``user``); what they did before is matched by ``visitor_id``.
        SIGNED_UP = "signed_up", _("Signed up")

    class Flow(models.TextChoices):
        """Where suggestions were shown or opened, and where a reader came from."""

        NONE = "", _("None")
        CONTACT = "contact", _("Contact support")
        FORUM = "forum", _("Forum question")
        ARTICLE = "article", _("Article page")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    #: The random first-party visitor id (sitewide.visitor), 32 hex digits; "" when unknown.
    visitor_id = models.CharField(_("visitor"), max_length=32, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flow = models.CharField(_("flow"), max_length=16, choices=Flow.choices, blank=True, default="")
    #: One contact-flow or forum-ask visit: a random id the form carries from page to page.
    visit_id = models.CharField(_("visit"), max_length=32, blank=True, db_index=True)
    article = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ticket = models.ForeignKey(
        "support.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    query = models.CharField(_("query"), max_length=MAX_QUERY_LENGTH, blank=True)
    #: 1-based position of an opened suggestion in the list shown.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    #: Kind-specific details, e.g. {"helpful": false, "reason": "unclear"} for a vote or
    #: {"article_ids": [3, 9]} for suggestions shown.
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("support event")
        verbose_name_plural = _("support events")
        # Nobody adds or edits events by hand; "view" is the permission that opens the reports.
        default_permissions = ("view",)
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["kind", "created_at"], name="support_event_kind_time"),
            models.Index(fields=["article", "kind"], name="support_event_article_kind"),
            models.Index(fields=["visitor_id", "created_at"], name="support_event_visitor_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"
