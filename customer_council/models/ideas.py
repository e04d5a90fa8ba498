"""The council's feedback board: ideas, votes, comments, followers, statuses and merges.

Plain Django models written only through customer_council.services.ideas (one place per
mutation); vote and follower counts are kept on the idea with F() updates there, so the board
sorts 10,000 ideas by votes from an index.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProductArea(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")

    def __str__(self):
        return self.name


class Team(models.Model):
    """An internal team ideas are routed to; it gets a weekly digest of new and rising ideas."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    #: Where the weekly digest goes (a team list).
    email = models.EmailField(_("digest email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class IdeaStatus(models.Model):
    """A status managers define ("Under review", "Planned for Q3"), of one fixed kind."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")
        DUPLICATE = "duplicate", _("Duplicate")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    #: The status a new idea starts in (one of them).
    is_default = models.BooleanField(_("new ideas start here"), default=False)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="council_one_default_status"
            )
        ]
        verbose_name = _("idea status")
        verbose_name_plural = _("idea statuses")

    def __str__(self):
        return self.name


class Idea(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="council_ideas"
    )
    title = models.CharField(_("title"), max_length=150)
    problem = models.TextField(_("the problem it solves"), max_length=2000)
    #: What the member wrote (Markdown) and its sanitised HTML (forum.markdown's pipeline).
    body = models.TextField(_("details"), max_length=20000, blank=True)
    body_html = models.TextField(blank=True)
    product_area = models.ForeignKey(
        ProductArea, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("product area")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("status"))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas", verbose_name=_("team")
    )
    #: Set while this idea is merged into another (a duplicate); undoing the merge clears it.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_ideas"
    )
    vote_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    #: Votes in the last 7 days, decayed (services.ideas.refresh_trending): the "trending" sort.
    trending_score = models.FloatField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    #: A moderator hid it (spam, a customer's secret posted by mistake): only managers see it.
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["-vote_count", "-pk"]
        indexes = [
            models.Index(fields=["-vote_count", "-id"], name="council_idea_by_votes"),
            models.Index(fields=["-trending_score", "-id"], name="council_idea_trending"),
            models.Index(fields=["-created_at", "-id"], name="council_idea_newest"),
        ]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The idea's page in the active language (members only: customer_council.gate)."""
        return reverse("customer_council:idea", args=[self.pk])


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_votes")
    created_at = models.DateTimeField(default=timezone.now)
    #: The idea this vote was cast on before a merge moved it here (undo moves it back).
    moved_from = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="council_one_vote_per_member")]
        indexes = [models.Index(fields=["idea", "-created_at"], name="council_vote_recent")]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self):
        return f"{self.user_id} votes for {self.idea_id}"


class IdeaFollow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_follows")
    created_at = models.DateTimeField(default=timezone.now)
    moved_from = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="council_follow_once")]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return f"{self.user_id} follows {self.idea_id}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"comment {self.pk} on {self.idea_id}"


class IdeaStatusChange(models.Model):
    """The status history of an idea, with the note members were told."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(_("note to members"), max_length=5000, blank=True)
    note_html = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.idea_id} -> {self.status_id} at {self.at:%Y-%m-%d}"


class IdeaMerge(models.Model):
    """A duplicate merged into a target: what moved, so the merge can be undone exactly."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    #: The source's status before the merge (it becomes the "duplicate" status).
    previous_status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="+")
    #: Votes and follows of the source's members who had already voted for / followed the target:
    #: not moved (no double counting), listed so undo gives them back to the source.
    kept_vote_user_ids = models.JSONField(default=list)
    kept_follow_user_ids = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self):
        return f"{self.source_id} merged into {self.target_id}"
