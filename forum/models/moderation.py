"""Moderation: members' flags on posts, the moderators' audit log, suspensions and merged topics.

Every row here is written by forum.services.moderation, never by views or signal receivers.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: Notes on flags and reasons for moderator actions are at most this long.
MAX_NOTE_CHARACTERS = 500


class Flag(models.Model):
    """A member's report that a post needs a moderator's attention.

    A member has at most one open flag per post; reviewing the post resolves every open flag on
    it at once (``resolution`` says how).
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed")
        POST_HIDDEN = "post_hidden", _("Post hidden")
        TOPIC_HIDDEN = "topic_hidden", _("Topic hidden")

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=MAX_NOTE_CHARACTERS, blank=True)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagger"], condition=Q(resolved_at__isnull=True), name="forum_one_open_flag_each"
            )
        ]
        indexes = [
            models.Index(fields=["flagger", "created_at"], name="forum_flag_by_flagger"),
            models.Index(fields=["resolved_at", "post"], name="forum_flag_open"),
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return f"{self.flagger_id} flagged {self.post_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ModerationAction(models.Model):
    """The audit log: who did what to which topic, post or member, when and why.

    ``moderator`` is empty for what the site did by itself (hiding a post flagged by enough
    members). ``data`` holds what the action needs to be understood later (the categories of a
    move, the topic a merge went into, a suspension's end).
    """

    class Action(models.TextChoices):
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed flags")
        AUTO_HIDE_POST = "auto_hide_post", _("Hid a post flagged by several members")
        HIDE_POST = "hide_post", _("Hid a post")
        UNHIDE_POST = "unhide_post", _("Unhid a post")
        APPROVE_POST = "approve_post", _("Approved a held post")
        REJECT_POST = "reject_post", _("Rejected a held post")
        HIDE_TOPIC = "hide_topic", _("Hid a topic")
        UNHIDE_TOPIC = "unhide_topic", _("Unhid a topic")
        LOCK_TOPIC = "lock_topic", _("Locked a topic")
        UNLOCK_TOPIC = "unlock_topic", _("Unlocked a topic")
        PIN_TOPIC = "pin_topic", _("Pinned a topic")
        UNPIN_TOPIC = "unpin_topic", _("Unpinned a topic")
        MOVE_TOPIC = "move_topic", _("Moved a topic")
        MERGE_TOPIC = "merge_topic", _("Merged a topic into another")
        SUSPEND_MEMBER = "suspend_member", _("Suspended a member")
        UNSUSPEND_MEMBER = "unsuspend_member", _("Lifted a suspension")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_moderation_actions",
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    topic = models.ForeignKey(
        "forum.Topic", verbose_name=_("topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forum.Post", verbose_name=_("post"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The member acted upon: the suspended member, or the author of the post or topic.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=MAX_NOTE_CHARACTERS, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="forum_moderation_log")]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self):
        return f"{self.get_action_display()} by {self.moderator_id or 'the site'} at {self.created_at:%Y-%m-%d %H:%M}"


class MemberRestrictionQuerySet(models.QuerySet):
    def in_force(self, at=None):
        """Suspensions not lifted and not yet over."""
        at = at or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=at), lifted_at__isnull=True)


class MemberRestriction(models.Model):
    """A suspension: until ``until`` (or indefinitely when empty) the member can read the forum
    but not post, reply, edit, vote or flag. Lifting it early sets ``lifted_at``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="forum_suspensions"
    )
    until = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    reason = models.TextField(_("reason"), max_length=MAX_NOTE_CHARACTERS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("suspended"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MemberRestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "lifted_at"], name="forum_suspension_by_user")]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self):
        return f"{self.user_id} suspended until {self.until or 'lifted'}"

    def refusal_message(self) -> str:
        """What a suspended member reads when they try to take part."""
        if self.until is None:
            message = gettext("Your account is suspended from taking part in the forum. You can still read it.")
        else:
            message = gettext(
                "Your account is suspended from taking part in the forum until %(until)s. You can still read it."
            ) % {"until": date_format(timezone.localtime(self.until), "DATETIME_FORMAT")}
        if self.reason:
            message += " " + gettext("Reason: %(reason)s") % {"reason": self.reason}
        return message


def suspension_of(user) -> MemberRestriction | None:
    """The member's suspension in force (the one ending last), or None."""
    if user is None or not user.is_authenticated:
        return None
    return MemberRestriction.objects.in_force().filter(user=user).order_by(F("until").desc(nulls_first=True)).first()


class TopicRedirect(models.Model):
    """A topic merged into another: its old address leads to the topic it was merged into."""

    topic = models.OneToOneField(
        "forum.Topic", on_delete=models.CASCADE, primary_key=True, related_name="redirect_to_merged"
    )
    target = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="merged_from")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("merged topic")
        verbose_name_plural = _("merged topics")

    def __str__(self):
        return f"{self.topic_id} -> {self.target_id}"
