"""The customer a story is about: one snippet, shared by every translation of its stories.

Industry, company size and region are choices, not free text: the story index filters by them,
and a story the customer has not allowed to name them shows :attr:`Customer.anonymous_description`
("a logistics company in Europe"), built from them in the reader's language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Customer(index.Indexed, models.Model):
    class Industry(models.TextChoices):
        # The words fill "a … company in …": translators see them in that context.
        EDUCATION = "education", pgettext_lazy("industry, as in 'a … company'", "education")
        ENERGY = "energy", pgettext_lazy("industry, as in 'a … company'", "energy")
        FINANCE = "finance", pgettext_lazy("industry, as in 'a … company'", "financial services")
        HEALTHCARE = "healthcare", pgettext_lazy("industry, as in 'a … company'", "healthcare")
        HOSPITALITY = "hospitality", pgettext_lazy("industry, as in 'a … company'", "hospitality")
        LOGISTICS = "logistics", pgettext_lazy("industry, as in 'a … company'", "logistics")
        MANUFACTURING = "manufacturing", pgettext_lazy("industry, as in 'a … company'", "manufacturing")
        MEDIA = "media", pgettext_lazy("industry, as in 'a … company'", "media")
        PUBLIC_SECTOR = "public_sector", pgettext_lazy("industry, as in 'a … company'", "public-sector")
        RETAIL = "retail", pgettext_lazy("industry, as in 'a … company'", "retail")
        SOFTWARE = "software", pgettext_lazy("industry, as in 'a … company'", "software")
        TELECOM = "telecom", pgettext_lazy("industry, as in 'a … company'", "telecommunications")
        OTHER = "other", pgettext_lazy("industry, as in 'a … company'", "other")

    class CompanySize(models.TextChoices):
        SMALL = "small", _("1–49 employees")
        MEDIUM = "medium", _("50–249 employees")
        LARGE = "large", _("250–999 employees")
        ENTERPRISE = "enterprise", _("1,000 employees or more")

    class Region(models.TextChoices):
        AFRICA = "africa", pgettext_lazy("region, as in 'a company in …'", "Africa")
        ASIA_PACIFIC = "asia_pacific", pgettext_lazy("region, as in 'a company in …'", "Asia-Pacific")
        EUROPE = "europe", pgettext_lazy("region, as in 'a company in …'", "Europe")
        LATIN_AMERICA = "latin_america", pgettext_lazy("region, as in 'a company in …'", "Latin America")
        MIDDLE_EAST = "middle_east", pgettext_lazy("region, as in 'a company in …'", "the Middle East")
        NORTH_AMERICA = "north_america", pgettext_lazy("region, as in 'a company in …'", "North America")

    name = models.CharField(_("name"), max_length=120, unique=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    company_size = models.CharField(_("company size"), max_length=16, choices=CompanySize.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    website = models.URLField(_("website"), blank=True)
    #: Who approves the customer's stories (no Wagtail account needed: a signed link by email).
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_language = models.CharField(
        _("contact's language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return self.name

    @property
    def anonymous_description(self) -> str:
        """Who the customer is without their name, in the active language: "a logistics company
        in Europe". What a story shows when the customer has not allowed their name."""
        return gettext("a %(industry)s company in %(region)s") % {
            "industry": self.get_industry_display(),
            "region": self.get_region_display(),
        }
