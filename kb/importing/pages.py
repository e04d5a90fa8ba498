"""The pages an import writes: help-center homes, categories, and publishing a page in one save."""

from contextlib import contextmanager

from django.conf import settings
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Revision, Site
from wagtail.search.signal_handlers import post_save_signal_handler

from kb.importing.sources import HOME_KEY, ArticleSource, translation_key_for
from kb.models import ArticlePage, CategoryPage, HelpCenterPage


def publish(page: Page) -> None:
    page.save_revision().publish()


def ensure_help_center(language_code: str) -> HelpCenterPage:
    """The help-center home of a language, created when missing.

    Migration kb.0005 builds every language's home: LANGUAGE_CODE's is the default site's root
    page, the others are its translations, which Wagtail routes under their language prefix. A
    home made later (a language added to LANGUAGES) joins them as a translation of the site root,
    never outside the site, where its pages would have no URL.
    """
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    home = HelpCenterPage.objects.filter(translation_key=HOME_KEY, locale=locale).first()
    if home:
        return home
    site_root = site_root_home()
    if site_root.locale_id == locale.pk:
        return site_root
    home = new_home(locale)
    site_root.get_parent().add_child(instance=home)
    publish(home)
    return home


def site_root_home() -> HelpCenterPage:
    """The default site's root page: a help-center home, which every language's home translates.

    Re-made here when an editor has deleted or replaced it since the migration built it: the home
    of LANGUAGE_CODE becomes the default site's root again.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and site.root_page.translation_key == HOME_KEY:
        root = site.root_page.specific
        if isinstance(root, HelpCenterPage):
            return root
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    home = HelpCenterPage.objects.filter(translation_key=HOME_KEY, locale=locale).first()
    if home is None:
        home = new_home(locale)
        Page.get_first_root_node().add_child(instance=home)
        publish(home)
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def new_home(locale: Locale) -> HelpCenterPage:
    """An unsaved help-center home for ``locale``, titled in its language."""
    with override(locale.language_code):
        return HelpCenterPage(
            title=_("Help Center"),
            slug=f"help-{locale.language_code}",
            intro=_("Answers to common questions, step by step."),
            locale=locale,
            translation_key=HOME_KEY,
        )


def go_live(page: Page, *, parent: Page | None = None) -> Revision:
    """Save ``page`` live with a new revision, as publishing would, in one save; or add it live
    under ``parent``. Raises ValidationError (the page is validated as it is saved).

    Wagtail's ``save_revision().publish()`` saves the page three times, and every save redoes
    its search and reference indexes and the importer's public search index after commit; the
    importer writes those once per page at the end of a run instead (:class:`ImportRun`). What
    readers and editors see is the same: a live page whose live and latest revision is this
    one, and "published" in its history. No ``page_published`` signal is sent.
    """
    now = timezone.now()
    page.live, page.has_unpublished_changes, page.expired = True, False, False
    page.draft_title = page.title
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    if parent is not None:
        parent.add_child(instance=page)
    else:
        page.save()
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision, live_revision=revision, latest_revision_created_at=revision.created_at
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at = revision.created_at
    if parent is None:
        # As publishing does: an editor's revision scheduled earlier no longer goes live.
        page.revisions.exclude(pk=revision.pk).update(approved_go_live_at=None)
    log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
    return revision


@contextmanager
def admin_search_deferred():
    """Within this block, saving an article does not update Wagtail's own (admin) search index.

    Its receiver is disconnected for ArticlePage and connected again afterwards; the run adds
    its articles to that index in bulk at the end. The importer runs in a command of its own:
    an article saved meanwhile by another thread of the same process would miss its admin
    search update until its next save.
    """
    disconnected = post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)


def ensure_category(source: ArticleSource) -> CategoryPage:
    home = ensure_help_center(source.locale)
    key = translation_key_for("category", source.category)
    category = CategoryPage.objects.filter(translation_key=key, locale=home.locale).first()
    if category is None:
        category = CategoryPage(
            title=source.category_title, slug=source.category, locale=home.locale, translation_key=key
        )
        go_live(category, parent=home)
    elif category.title != source.category_title:
        # Published the whole way: its articles are re-indexed to show the new title.
        category.title = source.category_title
        publish(category)
    return category
