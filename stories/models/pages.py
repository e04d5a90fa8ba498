"""Story pages: one story index per language under its help-center home, stories beneath it.

The index (slug "stories", so /<lang>/stories/) is made by code (stories.sections), like the
council's section; editors add stories to it. Translations of a story share Wagtail's
``translation_key`` like articles do, and all point to the same :class:`~stories.models.Customer`.

What a story may show of its customer goes through :attr:`StoryPage.customer_label`,
:attr:`StoryPage.customer_logo`, :attr:`StoryPage.shown_hero_image`, :meth:`StoryPage.shown_quotes`
and :meth:`StoryPage.shown_figures`: the one place the customer's consent (name, logo, quotes per
person, figures, photos; stories.models.consent.Consent) decides it. Without an active consent a
story shows none of them ("a logistics company in Europe").
"""

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from kb.visibility import visible_in_order, visible_pages
from sitewide.reader import reader_of
from stories.blocks import STORY_TEXT_FEATURES, PullQuotesBlock, ResultFiguresBlock
from stories.filters import StoryFilterForm

#: How many stories the index lists before paginating.
STORIES_PER_PAGE = 12
#: The rendition of a hero image on cards, on the home panel and in Open Graph.
CARD_IMAGE = "fill-640x360"
SHARE_IMAGE = "fill-1200x630"


def with_card_images(stories):
    """``stories`` with their hero images and those images' card renditions in two queries, however many."""
    images = get_image_model().objects.prefetch_renditions(CARD_IMAGE)
    return stories.prefetch_related(Prefetch("hero_image", queryset=images))


class StoryIndexPage(Page):
    """The stories of one language: filters, featured stories first, pages of 12."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kb.HelpCenterPage"]
    subpage_types = ["stories.StoryPage"]
    #: One per language, made by code: editors add stories beneath it, not another of it.
    max_count_per_parent = 1
    template = "stories/story_index_page.html"

    class Meta:
        verbose_name = _("story index")

    def stories_for(self, reader):
        """The live stories under this index the reader may open, featured first, newest first."""
        return (
            visible_pages(StoryPage.objects.child_of(self), reader)
            .select_related("customer", "consent")
            .order_by("-featured", "-publish_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = self.stories_for(reader_of(request))
        form = StoryFilterForm(request.GET, stories=stories)
        paginator = Paginator(with_card_images(form.filter(stories)), STORIES_PER_PAGE)
        context["filter_form"] = form
        context["stories"] = paginator.get_page(request.GET.get("page"))
        return context


class StoryPageForm(WagtailAdminPageForm):
    """The story editor's form.

    ``publish_date`` has a callable default, so Django compares it against a hidden "initial" input
    that Wagtail's panels never render: every save looked like an edit. With re-approval on edit, an
    editor pressing Approve saved a "changed" revision and restarted the review instead of approving.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_date"].show_hidden_initial = False


class StoryPage(Page):
    """A customer success story: challenge, solution, results, figures and quotes."""

    base_form_class = StoryPageForm

    customer = models.ForeignKey(
        "stories.Customer", on_delete=models.PROTECT, related_name="stories", verbose_name=_("customer")
    )
    headline = models.CharField(_("headline"), max_length=160)
    summary = models.CharField(_("summary"), max_length=300)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    publish_date = models.DateField(
        _("publish date"), default=timezone.localdate, help_text=_("The story's date as readers see it.")
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Listed first; the latest featured story is on the help-center home.")
    )
    challenge = RichTextField(_("challenge"), features=STORY_TEXT_FEATURES)
    solution = RichTextField(_("solution"), features=STORY_TEXT_FEATURES)
    results = RichTextField(_("results"), features=STORY_TEXT_FEATURES)
    figures = StreamField(ResultFiguresBlock(), blank=True, verbose_name=_("result figures"))
    quotes = StreamField(PullQuotesBlock(), blank=True, verbose_name=_("pull quotes"))
    products = ParentalManyToManyField(
        "kb.Product", blank=True, related_name="stories", verbose_name=_("products used")
    )

    content_panels = Page.content_panels + [
        FieldPanel("customer"),
        FieldPanel("headline"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("challenge"),
        FieldPanel("solution"),
        FieldPanel("results"),
        FieldPanel("figures"),
        FieldPanel("quotes"),
        InlinePanel("help_articles", label=_("Help articles they relied on")),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [
                FieldPanel("publish_date"),
                FieldPanel("featured"),
                FieldPanel("products", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Classification"),
        )
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types: list[str] = []
    template = "stories/story_page.html"

    search_fields = Page.search_fields + [
        index.SearchField("headline"),
        index.SearchField("summary"),
        index.FilterField("featured"),
        index.FilterField("publish_date"),
    ]

    class Meta:
        verbose_name = _("customer story")
        verbose_name_plural = _("customer stories")

    @cached_property
    def active_consent(self):
        """The customer's consent if it is in force, else None (the approval page sets a preview
        consent here to show a revision with everything the customer may allow)."""
        try:
            consent = self.consent
        except ObjectDoesNotExist:
            return None
        return consent if consent.is_active else None

    @property
    def shows_customer_name(self) -> bool:
        return self.active_consent is not None and self.active_consent.show_name

    @property
    def customer_label(self) -> str:
        """The customer's name if they allowed it, else who they are without it ("a logistics
        company in Europe")."""
        return self.customer.name if self.shows_customer_name else self.customer.anonymous_description

    @property
    def customer_logo(self):
        """The customer's logo the story may show, or None."""
        consent = self.active_consent
        return self.customer.logo if consent is not None and consent.show_logo else None

    @property
    def shown_hero_image(self):
        """The hero image, if the customer allowed photos."""
        consent = self.active_consent
        return self.hero_image if consent is not None and consent.show_photos else None

    @property
    def hides_photos(self) -> bool:
        consent = self.active_consent
        return consent is None or not consent.show_photos

    def shown_quotes(self) -> list:
        """The pull quotes the customer allowed (each person's by its block id), each a stream
        child with its stable ``id``."""
        consent = self.active_consent
        if consent is None:
            return []
        allowed = set(consent.quote_ids or [])
        return [quote for quote in self.quotes if quote.id in allowed]

    def shown_figures(self) -> list:
        """The result figures, if the customer allowed figures."""
        consent = self.active_consent
        return list(self.figures) if consent is not None and consent.show_figures else []

    def articles_for(self, reader) -> list:
        """The help articles the customer relied on that this reader may open, in the editor's order."""
        return visible_in_order([link.article for link in self.help_articles.select_related("article")], reader)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["story_products"] = list(self.products.all())
        context["story_articles"] = self.articles_for(reader_of(request))
        context["story_quotes"] = self.shown_quotes()
        context["story_figures"] = self.shown_figures()
        context["hide_photos"] = self.hides_photos
        return context


class StoryArticle(Orderable):
    """A help article the customer relied on, chosen by the editor."""

    page = ParentalKey("stories.StoryPage", on_delete=models.CASCADE, related_name="help_articles")
    article = models.ForeignKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("article"))

    panels = [PageChooserPanel("article", "kb.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
