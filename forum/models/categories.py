from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A place for topics on one subject, shown in ``position`` order.

    A category with no ``restricted_to`` groups is public; otherwise only members of one of those
    groups (and moderators) can see it and its topics (see forum.permissions).
    """

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    #: Lower first on the forum index.
    position = models.PositiveIntegerField(_("position"), default=0)
    #: The language its topics are written in, or "" for a category open to every language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    restricted_to = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("restricted to"),
        blank=True,
        related_name="forum_categories",
        help_text=_("Only members of these groups can see the category. Leave empty for a public category."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:category", kwargs={"slug": self.slug})
