"""manage.py import_articles PATH: import a tree of Markdown help articles (see kb.importing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from tqdm import tqdm

from kb.importing import ImportResult, ImportRun, find_article_files


class Command(BaseCommand):
    help = "Import help articles from Markdown files with YAML front matter; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A Markdown file or a folder searched for *.md files.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, path: Path, no_progress: bool = False, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        result = run_import(path, stdout=self.stdout, stderr=self.stderr, progress=not no_progress)
        summary = (
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, failed {result.failed}"
        )
        self.stdout.write(self.style.SUCCESS(summary) if not result.failed else self.style.WARNING(summary))


class UnendedOutput:
    """Passes tqdm's writes through as they are.

    tqdm redraws its bar with "\r" and writes an error line and its newline separately; Django's
    OutputWrapper would end every such write with a newline of its own, printing a new bar per
    redraw and a blank line after every error.
    """

    def __init__(self, wrapper: OutputWrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def __getattr__(self, name):
        return getattr(self.wrapper, name)


def run_import(path: Path, *, stdout, stderr, progress: bool = True) -> ImportResult:
    """Import every article file under ``path``: errors and warnings one line each on ``stderr``."""
    files = find_article_files(path)
    if isinstance(stderr, OutputWrapper):
        stderr = UnendedOutput(stderr)
    run = ImportRun(files)
    bar = tqdm(
        total=len(files), desc="Importing articles", unit="file", disable=not progress, file=stderr, dynamic_ncols=True
    )
    for file, error in run.import_each():
        bar.update(1)
        if error:
            bar.write(f"{file}: {error}", file=stderr)
    bar.close()
    result = run.finish()
    for line in result.warnings:
        stderr.write(f"{line}\n")
    return result
