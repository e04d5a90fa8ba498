"""The site structure a fresh install starts with: a help-center home in every language, all routable.

As Wagtail's project template replaces the default "Welcome" page with its home page, this makes
the help-center home of LANGUAGE_CODE the default site's root page, and the homes of the other
languages its translations (same translation key, siblings under the tree root). Wagtail routes a
site's root page and its translations, one per locale, so /ru/, /fa/ and /he/ serve their homes
whatever language is imported first.

Existing databases keep what they have: a home that exists is reused, never duplicated; the
"Welcome" page is deleted only while it is untouched (no revisions, no children). Reversing
leaves the pages in place: by then they hold the help content.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Site as CurrentSiteModel

#: kb.importing.HOME_KEY, frozen here: the translation key every language's home shares.
HOME_KEY = "4234c399-0448-5496-b00f-a6afbd2e1045"
#: treebeard's materialised path: steps of four base-36 digits (Wagtail's Page.steplen, alphabet).
STEP_LENGTH = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEP_LENGTH, "0")


class Structure:
    """The migration's historical models and the tree root, for adding homes under it."""

    def __init__(self, apps):
        self.ContentType = apps.get_model("contenttypes", "ContentType")
        self.Locale = apps.get_model("wagtailcore", "Locale")
        self.Page = apps.get_model("wagtailcore", "Page")
        self.Site = apps.get_model("wagtailcore", "Site")
        self.HelpCenterPage = apps.get_model("kb", "HelpCenterPage")
        self.root = self.Page.objects.get(depth=1)
        self.home_type, _created = self.ContentType.objects.get_or_create(app_label="kb", model="helpcenterpage")

    def locale(self, language_code):
        locale, _created = self.Locale.objects.get_or_create(language_code=language_code)
        return locale

    def home(self, language_code):
        """The language's home, reused if it exists, else added as the tree root's last child."""
        locale = self.locale(language_code)
        home = self.HelpCenterPage.objects.filter(translation_key=HOME_KEY, locale=locale).first()
        if home is not None:
            return home
        children = self.Page.objects.filter(depth=self.root.depth + 1, path__startswith=self.root.path)
        last = children.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-STEP_LENGTH:], len(ALPHABET)) + 1 if last else 1
        slug = f"help-{language_code}"
        if children.filter(slug=slug).exists():
            slug = f"{slug}-{number}"
        with translation.override(language_code):
            title, intro = gettext("Help Center"), gettext("Answers to common questions, step by step.")
        now = timezone.now()
        home = self.HelpCenterPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            intro=intro,
            content_type=self.home_type,
            path=self.root.path + path_step(number),
            depth=self.root.depth + 1,
            numchild=0,
            url_path=f"{self.root.url_path}{slug}/",
            locale=locale,
            translation_key=HOME_KEY,
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        self.count_children()
        return home

    def count_children(self):
        # treebeard adds a child after the last one only when numchild says there is one.
        self.root.numchild = self.Page.objects.filter(depth=self.root.depth + 1).count()
        self.root.save(update_fields=["numchild"])

    def is_untouched_welcome_page(self, page):
        page_type = self.ContentType.objects.get(app_label="wagtailcore", model="page")
        return (
            page.content_type_id == page_type.pk
            and page.depth == self.root.depth + 1
            and page.slug == "home"
            and page.numchild == 0
            and page.latest_revision_id is None
            and not self.Site.objects.filter(root_page=page).exists()
        )


def build_site_structure(apps, schema_editor):
    structure = Structure(apps)
    site_home = structure.home(settings.LANGUAGE_CODE)
    site = structure.Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        structure.Site.objects.create(hostname="localhost", port=80, root_page=site_home, is_default_site=True)
    elif site.root_page.content_type_id != structure.home_type.pk or str(site.root_page.translation_key) != HOME_KEY:
        # Re-point the site before deleting its old root: deleting a site's root page deletes the site.
        site.root_page = site_home
        site.save(update_fields=["root_page"])
    for page in structure.Page.objects.filter(depth=structure.root.depth + 1, slug="home"):
        if structure.is_untouched_welcome_page(page):
            page.delete()
            structure.count_children()
    for language_code, _name in settings.LANGUAGES:
        structure.home(language_code)
    # Wagtail caches the site root paths it routes by; the historical Site sends no signal for it.
    CurrentSiteModel.clear_site_root_paths_cache()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0004_search_report_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(build_site_structure, migrations.RunPython.noop)]
