"""The council's own Wagtail pages: one private subtree per language at ``/<lang>/council/``.

``CouncilIndexPage`` (slug "council") sits under each language's help-center home and carries a
Wagtail view restriction to the "Council members" group; every page beneath it inherits it.
It is made by customer_council.access.ensure_council_section (help centers allow only topics
in the admin, and the council section is one per language, not something editors add). Its URL
is served by the council home view (customer_council.urls), which lists these pages.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from kb.blocks import ArticleBodyBlock


class CouncilIndexPage(Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kb.HelpCenterPage"]
    subpage_types = ["customer_council.CouncilPage"]
    #: One per language, made by code: editors add pages beneath it, not another of it.
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("council section")


class CouncilPage(Page):
    """A page for members only: the programme, a roadmap briefing, a meeting's background."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    parent_page_types = ["customer_council.CouncilIndexPage", "customer_council.CouncilPage"]
    subpage_types = ["customer_council.CouncilPage"]
    template = "customer_council/council_page.html"

    class Meta:
        verbose_name = _("council page")
