from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TopicWatch(models.Model):
    """A member follows a topic: replies to it notify them (see forum.services.notifications).

    Made automatically for a topic's author and every member who replies; the topic page has a
    Watch / Stop watching button.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches")
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="forum_one_watch_per_member")]
        verbose_name = _("watched topic")
        verbose_name_plural = _("watched topics")

    def __str__(self):
        return f"{self.user_id} watches {self.topic_id}"


class Notification(models.Model):
    """Something in the forum a member should know about, shown under the bell until read.

    Rows are written only by forum.services.notifications, which checks that the recipient may
    still see the topic and the post at the moment it sends.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MENTION = "mention", _("Mention")
        ACCEPTED = "accepted", _("Accepted answer")
        #: A moderator approved the recipient's held post (a question or a reply).
        APPROVED = "approved", _("Post approved")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    #: Who did it (never the recipient: nobody is notified of their own action).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="forum_notification_list"),
            # The bell's count: a member's unread rows only.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="forum_notification_unread"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.kind} for {self.recipient_id} on {self.topic_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A member's choice about forum email. Without a row, nothing is emailed (opt-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="forum_notification_preference",
    )
    email_on_activity = models.BooleanField(
        _("email me about forum activity"),
        default=False,
        help_text=_("Replies to topics you watch, mentions and accepted answers, in your preferred language."),
    )

    class Meta:
        verbose_name = _("forum notification preference")
        verbose_name_plural = _("forum notification preferences")

    def __str__(self):
        return f"{self.user_id}: {'email' if self.email_on_activity else 'no email'}"
