"""`manage.py backup [--output FILE]`: the database and media files in one tar.gz (sitewide.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from sitewide.backups import BackupError, create_backup


def progress_bars(stderr, enabled: bool):
    """A factory of tqdm bars on the command's stderr (tqdm ends its own lines, Django must not)."""

    class Unended:
        def write(self, text):
            stderr.write(text, ending="")

        def flush(self):
            stderr.flush()

    def bar(description: str, total: int | None):
        return tqdm(total=total, desc=description, disable=not enabled, file=Unended(), dynamic_ncols=True)

    return bar


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive; the search index is rebuilt on restore."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The archive to write (default: backup-<time>.tar.gz here).")
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, output: Path | None, no_progress: bool, **options):
        output = output or Path(f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        if not output.parent.is_dir():
            raise CommandError(_("No directory %(path)s to write the backup in.") % {"path": output.parent})
        try:
            manifest = create_backup(output, progress=progress_bars(self.stderr, not no_progress))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up %(rows)s rows in %(tables)s tables and %(files)s media files (%(vendor)s) to %(path)s.")
                % {
                    "rows": sum(manifest.counts.values()),
                    "tables": len(manifest.counts),
                    "files": manifest.media_files,
                    "vendor": manifest.vendor,
                    "path": output,
                }
            )
        )
