from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Posts shown on one page of a topic; page N shows positions (N-1)*POSTS_PER_PAGE+1 .. N*POSTS_PER_PAGE.
POSTS_PER_PAGE = 20


def page_count_for(last_position: int) -> int:
    """Pages of a topic whose last post a reader sees is at ``last_position`` (at least one)."""
    return max(1, -(-last_position // POSTS_PER_PAGE))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum tag")
        verbose_name_plural = _("forum tags")

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A discussion: its opening post is the Post at position 1, replies follow.

    Counters (``post_count``, ``reply_count``, ``last_approved_position``, ``view_count``,
    ``last_posted_at``) are updated by forum.services with F() expressions, never read-modify-written.
    """

    category = models.ForeignKey("forum.Category", on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_topics"
    )
    #: The language the topic is written in (the reader's language when it was asked).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    is_question = models.BooleanField(_("question"), default=True)
    accepted_answer = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_locked = models.BooleanField(_("locked"), default=False, help_text=_("No new replies."))
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Listed first in its category."))
    is_hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Only moderators see it."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_posted_at = models.DateTimeField(_("last post"), default=timezone.now)
    #: The highest post position: every post ever made, deleted ones included (they stay as
    #: placeholders so positions, and with them page boundaries, never shift).
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    #: Replies everyone who can open the topic reads: approved, neither hidden nor deleted. A reply
    #: held for approval counts once a moderator approves it.
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    #: The highest position of an approved post (deleted and hidden ones stay as placeholders):
    #: where the topic ends for a reader who sees no held post, so its last page is never empty.
    last_approved_position = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    #: Set when the opening post is deleted: the topic is gone for everyone.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    tags = models.ManyToManyField("forum.Tag", blank=True, related_name="topics", verbose_name=_("tags"))
    #: Where an imported topic came from ("stackexchange:coffee") and its id there, so a second
    #: import updates instead of duplicating. Empty for topics written here.
    source = models.CharField(max_length=60, blank=True, default="")
    source_id = models.CharField(max_length=60, blank=True, default="")

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at"]
        indexes = [models.Index(fields=["category", "-is_pinned", "-last_posted_at"], name="forum_topic_listing")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source=""), name="forum_topic_unique_source"
            )
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:topic", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def source_site(self) -> str:
        """For a topic imported from Stack Exchange, the site it came from ("coffee.stackexchange.com")."""
        kind, _separator, site = self.source.partition(":")
        return site if kind == "stackexchange" else ""

    @property
    def source_url(self) -> str:
        """The original question's address, for attribution ("" when unknown)."""
        site = self.source_site
        return f"https://{site}/q/{self.source_id}" if "." in site and self.source_id.isdigit() else ""
