"""manage.py import_stackexchange Posts.xml --category <slug> [--language en] [--site name]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from forum.importing import DumpUnreadable, StackExchangeImporter
from forum.models import Category


def site_from_path(path: Path) -> str:
    """ "coffee-stackexchange/Posts.xml" -> "coffee.stackexchange.com"."""
    folder = path.resolve().parent.name
    if folder.endswith("-stackexchange"):
        return f"{folder.removesuffix('-stackexchange')}.stackexchange.com"
    return folder or "stackexchange"


class Command(BaseCommand):
    help = "Import a Stack Exchange data dump (Posts.xml) into a forum category, idempotently."

    def add_arguments(self, parser):
        parser.add_argument("posts", type=Path, help="Path to the dump's Posts.xml")
        parser.add_argument("--category", required=True, help="Slug of the forum category to import into")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])
        parser.add_argument("--site", default="", help="The site's host name (default: from the folder name)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, posts: Path, category: str, language: str, site: str, no_progress=False, **options):
        result = import_stackexchange(
            posts,
            category=category,
            language=language,
            site=site,
            progress=not no_progress,
            stderr=self.stderr,
        )
        self.stdout.write(
            f"Stack Exchange import: {result.created_topics} topics and {result.created_posts} answers created, "
            f"{result.updated} updated, {result.unchanged} unchanged, {result.skipped} skipped"
        )


def import_stackexchange(posts: Path, *, category: str, language="en", site="", progress=True, stderr=None):
    """The command's work, callable from code (the demo loader)."""
    if not posts.is_file():
        raise CommandError(f"{posts} is not a file")
    target = Category.objects.filter(slug=category).first()
    if target is None:
        raise CommandError(f"No forum category with the slug {category!r}")
    importer = StackExchangeImporter(category=target, site=site or site_from_path(posts), language=language)
    bar = tqdm(total=posts.stat().st_size, unit="B", unit_scale=True, disable=not progress, file=stderr)
    try:
        with posts.open("rb") as handle, bar:
            result = importer.run(handle, progress=lambda done: bar.update(done - bar.n))
    except DumpUnreadable as error:
        raise CommandError(str(error)) from None
    importer.index()
    return result
