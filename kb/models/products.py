from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Product(index.Indexed, models.Model):
    """A product or edition an article applies to (managed as a snippet)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name
