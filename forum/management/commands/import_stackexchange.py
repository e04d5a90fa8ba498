"""manage.py import_stackexchange Posts.xml --category <slug> [--category-name "Name"] [--language en] [--site name]"""

import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_unicode_slug
from tqdm import tqdm

from forum.importing import DumpUnreadable, StackExchangeImporter
from forum.models import Category
from sitewide.text import BIDI_CONTROLS

MAX_NAME_CHARACTERS = Category._meta.get_field("name").max_length
MAX_SLUG_CHARACTERS = Category._meta.get_field("slug").max_length


def site_from_path(path: Path) -> str:
    """ "coffee-stackexchange/Posts.xml" -> "coffee.stackexchange.com"."""
    folder = path.resolve().parent.name
    if folder.endswith("-stackexchange"):
        return f"{folder.removesuffix('-stackexchange')}.stackexchange.com"
    return folder or "stackexchange"


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange data dump (Posts.xml) into a forum category, idempotently. "
        "With --category-name, a category that does not exist yet is created (public, listed last)."
    )

    def add_arguments(self, parser):
        parser.add_argument("posts", type=Path, help="Path to the dump's Posts.xml")
        parser.add_argument(
            "--category",
            required=True,
            help="Slug of the forum category to import into; it must exist unless --category-name is given",
        )
        parser.add_argument(
            "--category-name",
            metavar="NAME",
            help="If no category has the --category slug, create one with this name: public, listed last, in "
            "--language if given, in the same transaction as the first imported rows. A later run reuses it.",
        )
        parser.add_argument(
            "--language",
            choices=[c for c, _n in settings.LANGUAGES],
            help=f"Language of the imported topics (default: {settings.LANGUAGE_CODE}); also the language of a "
            "category created by --category-name (default: open to every language)",
        )
        parser.add_argument("--site", default="", help="The site's host name (default: from the folder name)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, posts: Path, category: str, **options):
        result = import_stackexchange(
            posts,
            category=category,
            category_name=options["category_name"],
            language=options["language"],
            site=options["site"],
            progress=not options["no_progress"],
            stderr=self.stderr,
        )
        if result.created_category:
            self.stdout.write(f"Created the forum category {category!r}")
        self.stdout.write(
            f"Stack Exchange import: {result.created_topics} topics and {result.created_posts} answers created, "
            f"{result.updated} updated, {result.unchanged} unchanged, {result.skipped} skipped"
        )


def import_stackexchange(
    posts: Path, *, category: str, category_name=None, language=None, site="", progress=True, stderr=None
):
    """The command's work, callable from code (the demo loader).

    ``language`` None: the site's LANGUAGE_CODE for the topics, every language for a new category.
    """
    if not posts.is_file():
        raise CommandError(f"{posts} is not a file")
    target = category_to_import_into(category, name=category_name, language=language or "")
    importer = StackExchangeImporter(
        category=target, site=site or site_from_path(posts), language=language or settings.LANGUAGE_CODE
    )
    bar = tqdm(total=posts.stat().st_size, unit="B", unit_scale=True, disable=not progress, file=stderr)
    try:
        with posts.open("rb") as handle, bar:
            result = importer.run(handle, progress=lambda done: bar.update(done - bar.n))
    except DumpUnreadable as error:
        raise CommandError(str(error)) from None
    importer.index()
    return result


def category_to_import_into(slug: str, *, name=None, language="") -> Category:
    """The category with ``slug``; else, given a ``name``, a new one, unsaved: the importer creates it
    with the first rows it writes (forum.importing). CommandError for a name or slug that cannot be
    used, checked before anything is written."""
    if name is not None:
        name = checked_category_name(name)
    existing = Category.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    if name is None:
        raise CommandError(f'No forum category with the slug {slug!r}: create it with --category-name "Name"')
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        raise CommandError(
            f"Cannot create a category with the slug {slug!r}: use letters, numbers, hyphens and underscores"
        ) from None
    if len(slug) > MAX_SLUG_CHARACTERS:
        raise CommandError(f"The --category slug has {len(slug)} characters; at most {MAX_SLUG_CHARACTERS}")
    return Category(slug=slug, name=name, language=language)


def checked_category_name(name: str) -> str:
    """``name`` without surrounding spaces, or CommandError: empty, too long, or with control characters
    (NUL, line breaks, bidirectional overrides) that would garble the forum's lists."""
    if any(unicodedata.category(character) == "Cc" for character in name) or BIDI_CONTROLS.search(name):
        raise CommandError("--category-name contains control characters (such as NUL or a line break)")
    name = name.strip()
    if not name:
        raise CommandError("--category-name is empty")
    if len(name) > MAX_NAME_CHARACTERS:
        raise CommandError(f"--category-name has {len(name)} characters; at most {MAX_NAME_CHARACTERS}")
    return name
