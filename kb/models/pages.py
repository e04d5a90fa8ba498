"""Help-center pages: one home per language, categories, and articles.

Translations of a page share Wagtail's ``translation_key``; the language switcher and the
importer rely on that link.
"""

from datetime import timedelta

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kb.blocks import ArticleBodyBlock
from kb.home_panels import home_panels
from kb.languages import fallback_for
from kb.visibility import visible_in_order, visible_pages
from sitewide.reader import reader_of

#: How many articles a category page lists before paginating.
ARTICLES_PER_PAGE = 30
#: The window over which "popular" is measured.
POPULAR_WINDOW_DAYS = 30
#: An article with at least this many sections gets a table of contents.
TOC_MIN_SECTIONS = 3


def section_anchors(headings: list[str]) -> list[str]:
    """The ids an article's h2 headings get, in order: slugs, made unique with -2, -3, …

    The importer uses the same ids for links into a section of another article (kb.rich_text).
    """
    anchors, seen = [], set()
    for text in headings:
        anchor = slugify(text, allow_unicode=True) or "section"
        base, n = anchor, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        anchors.append(anchor)
    return anchors


class HelpCenterPage(Page):
    """The help-center home of one language: categories, popular and new articles."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.CategoryPage"]
    template = "kb/help_center_page.html"

    class Meta:
        verbose_name = _("help center home")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reader = reader_of(request)
        home = self
        fallback = fallback_for(ArticlePage.objects.all(), self.locale.language_code, reader)
        if fallback is not None:
            home = (
                visible_pages(HelpCenterPage.objects.filter(translation_key=self.translation_key), reader)
                .filter(locale__language_code=fallback.shown)
                .first()
            )
            if home is None:
                home, fallback = self, None
        #: Set when this language has no articles for the reader: the topics and articles are the
        #: fallback language's (kb.languages), and the template says so.
        context["fallback"] = fallback
        articles = visible_pages(ArticlePage.objects.descendant_of(home), reader)
        article_counts = (
            visible_pages(ArticlePage.objects.all(), reader)
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
            .order_by()
            .values("depth")
            .annotate(n=Count("pk"))
            .values("n")
        )
        context["categories"] = (
            visible_pages(CategoryPage.objects.child_of(home), reader)
            .annotate(article_count=Subquery(article_counts))
            .order_by("title")
        )
        context["new_articles"] = articles.order_by("-first_published_at")[:6]
        #: The editors' picks, as Zendesk Guide's promoted articles: what a new help center, with
        #: no views to rank yet, shows besides its newest articles.
        context["promoted_articles"] = articles.filter(promoted=True).order_by("title")[:6]
        since = timezone.localdate() - timedelta(days=POPULAR_WINDOW_DAYS)
        context["popular_articles"] = (
            articles.filter(daily_views__date__gte=since)
            .annotate(recent_views=Sum("daily_views__views"))
            .order_by("-recent_views", "title")[:6]
        )
        #: What higher apps add to the home in this page's own language (kb.home_panels).
        context["home_panels"] = home_panels(self, reader)
        return context


class CategoryPage(Page):
    """A group of related articles, listed alphabetically."""

    description = models.CharField(_("description"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("description")]
    parent_page_types = ["kb.HelpCenterPage"]
    subpage_types = ["kb.ArticlePage"]
    template = "kb/category_page.html"

    search_fields = Page.search_fields + [index.SearchField("description")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reader = reader_of(request)
        paginator = self._article_paginator(self, reader)
        fallback = None
        if paginator.count == 0:
            # Only an empty topic pays for looking at its translations.
            fallback, translation = self._fallback(reader)
            if fallback is not None:
                paginator = self._article_paginator(translation, reader)
        #: Set when this topic has no articles in its language for the reader: the articles listed
        #: are those of its translation in the fallback language (kb.languages).
        context["fallback"] = fallback
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context

    @staticmethod
    def _article_paginator(category, reader) -> Paginator:
        articles = visible_pages(ArticlePage.objects.child_of(category), reader).order_by("title")
        return Paginator(articles.only("id", "title", "url_path", "summary", "path", "depth"), ARTICLES_PER_PAGE)

    def _fallback(self, reader):
        """The fallback of an empty topic and its translation whose articles are shown, or (None, None)."""
        visible_translations = visible_pages(self.get_translations(), reader).select_related("locale")
        visible_translations = visible_translations.only("path", "depth", "locale")
        translations = {page.locale.language_code: page for page in visible_translations}
        if not translations:
            return None, None
        in_a_translation = Q()
        for page in translations.values():
            in_a_translation |= Q(path__startswith=page.path, depth=page.depth + 1)
        articles = ArticlePage.objects.filter(in_a_translation)
        fallback = fallback_for(articles, self.locale.language_code, reader)
        if fallback is None:
            return None, None
        return fallback, translations[fallback.shown]


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    """A help article: summary, structured body, tags, products and related articles."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    products = ParentalManyToManyField("kb.Product", blank=True, related_name="articles", verbose_name=_("products"))
    last_reviewed = models.DateField(
        _("last reviewed"), null=True, blank=True, help_text=_("When an editor last checked this article is correct.")
    )
    promoted = models.BooleanField(
        _("promoted"),
        default=False,
        help_text=_("List this article under “Promoted articles” on the help-center home."),
    )
    #: Digest of the Markdown file this article was last imported from (see kb.importing).
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_articles", label=_("Related articles")),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("products", widget=forms.CheckboxSelectMultiple),
                FieldPanel("last_reviewed"),
                FieldPanel("promoted"),
            ],
            heading=_("Classification"),
        )
    ]
    parent_page_types = ["kb.CategoryPage"]
    subpage_types: list[str] = []
    template = "kb/article_page.html"

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("last_reviewed"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @cached_property
    def sections(self) -> list[dict]:
        """The article's h2 headings as ``{"anchor", "text"}``, in order; anchors are unique."""
        headings = [block for block in self.body if block.block_type == "heading" and block.value["level"] == "h2"]
        anchors = section_anchors([block.value["text"] for block in headings])
        return [
            {"anchor": anchor, "text": block.value["text"], "block_id": block.id}
            for anchor, block in zip(anchors, headings, strict=True)
        ]

    def related_for(self, reader) -> list:
        """The editor's related articles this reader may see, in the editor's order."""
        return visible_in_order(
            [link.related_page for link in self.related_articles.select_related("related_page")], reader
        )

    @property
    def show_table_of_contents(self) -> bool:
        return len(self.sections) >= TOC_MIN_SECTIONS

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["anchors"] = {section["block_id"]: section["anchor"] for section in self.sections}
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gte=2).specific()
        context["related"] = self.related_for(reader_of(request))
        context["article_tags"] = list(self.tags.all())
        context["article_products"] = list(self.products.all())
        return context


class RelatedArticle(Orderable):
    """An editor-chosen "see also" link from one article to another."""

    page = ParentalKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="related_articles")
    related_page = models.ForeignKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    panels = [PageChooserPanel("related_page", "kb.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
