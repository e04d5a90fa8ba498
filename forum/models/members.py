from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TopicReadState(models.Model):
    """How far a member has read a topic: posts after ``last_read_position`` are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_states")
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="read_states")
    last_read_position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forum_one_read_state")]
        verbose_name = _("read state")
        verbose_name_plural = _("read states")

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to {self.last_read_position}"


class MemberStats(models.Model):
    """A member's standing in the forum, kept by forum.services (F() updates, one row per member).

    Reputation: +10 for each upvote a post of theirs receives, +15 for each accepted answer.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="forum_stats"
    )
    reputation = models.IntegerField(_("reputation"), default=0)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted answers"), default=0)
    upvotes_received = models.PositiveIntegerField(_("upvotes received"), default=0)

    class Meta:
        verbose_name = _("member statistics")
        verbose_name_plural = _("member statistics")

    def __str__(self):
        return f"{self.user_id}: {self.reputation}"


class BadgeAward(models.Model):
    """A badge a member earned, once."""

    class Badge(models.TextChoices):
        FIRST_ANSWER = "first_answer", _("First answer")
        FIRST_ACCEPTED = "first_accepted", _("First accepted answer")
        TEN_UPVOTES = "ten_upvotes", _("Ten upvotes")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_badges")
    badge = models.CharField(max_length=30, choices=Badge.choices)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awarded_at"]
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="forum_one_badge_each")]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self):
        return f"{self.user_id}: {self.badge}"
