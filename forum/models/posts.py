from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.topics import POSTS_PER_PAGE


class Post(models.Model):
    """One message in a topic, at a fixed 1-based ``position`` (1 is the opening post).

    ``body_html`` is rendered from ``body_markdown`` and sanitized when the post is saved by
    forum.services (forum.markdown), never at display time; imported posts keep their source
    HTML, sanitized through the same allow-list, in ``body_html``.
    """

    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_posts"
    )
    #: 1-based and unique per topic: a page of a topic is a range of positions (keyset, no OFFSET).
    position = models.PositiveIntegerField(_("position"))
    body_markdown = models.TextField(_("text"), blank=True)
    body_html = models.TextField(blank=True)
    #: Upvotes received (kept in step with PostVote rows by forum.services).
    score = models.IntegerField(_("score"), default=0)
    is_hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Only moderators see it."))
    #: False while held for a moderator's approval: only the author and moderators see it.
    is_approved = models.BooleanField(_("approved"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    #: For imported posts: where they came from and the id there (see Topic.source).
    source = models.CharField(max_length=60, blank=True, default="")
    source_id = models.CharField(max_length=60, blank=True, default="")
    #: For imported posts: the author's name at the source (the author itself is a placeholder).
    source_author = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="forum_post_unique_position"),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source=""), name="forum_post_unique_source"
            ),
        ]
        indexes = [models.Index(fields=["author", "created_at"], name="forum_post_by_author")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.topic_id}#{self.position}"

    def get_absolute_url(self):
        url = reverse("forum:topic", kwargs={"pk": self.topic_id, "slug": "-"})
        page = self.page_number
        return f"{url}?page={page}#post-{self.position}" if page > 1 else f"{url}#post-{self.position}"

    @property
    def page_number(self) -> int:
        return (self.position - 1) // POSTS_PER_PAGE + 1

    def get_permalink(self):
        """A stable short link (/forum/p/<id>/) that redirects to the post wherever it is."""
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """One version of a post's text; the first edit also records the original.

    Moderators read a post's history in ``created_at`` order.
    """

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body_markdown = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "created_at", "pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self):
        return f"{self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PostVote(models.Model):
    """One member's upvote of one post."""

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_one_vote_per_member")]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self):
        return f"{self.user_id} +1 {self.post_id}"


def attachment_path(instance, filename):
    # The name is chosen by forum.services.attachments (random); the uploader's name is never used.
    return f"forum/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """An image a member uploaded (verified and re-encoded), shown in posts by its URL."""

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="forum_attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name
