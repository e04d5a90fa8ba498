"""manage.py import_articles PATH: import a tree of Markdown help articles (see kb.importing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from tqdm import tqdm

from kb.importing import ImportResult, find_article_files, import_file


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
    files = find_article_files(path)
    result = ImportResult()
    if isinstance(stderr, OutputWrapper):
        stderr = UnendedOutput(stderr)
    bar = tqdm(files, desc="Importing articles", unit="file", disable=not progress, file=stderr, dynamic_ncols=True)
    claimed = {}
    for file in bar:
        outcome, error = import_file(file, claimed)
        setattr(result, outcome, getattr(result, outcome) + 1)
        if error:
            line = f"{file}: {error}"
            result.errors.append(line)
            bar.write(line, file=stderr)
    bar.close()
    return result
