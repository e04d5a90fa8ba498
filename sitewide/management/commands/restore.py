"""`manage.py restore ARCHIVE [--force]`: bring back a `manage.py backup` archive (sitewide.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sitewide.backups import BackupError, restore_backup
from sitewide.management.commands.backup import progress_bars


class Command(BaseCommand):
    help = "Restore a backup into an empty DATA_DIR (or database), then rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A tar.gz written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true", help="Replace the site that is already there.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, archive: Path, force: bool, no_progress: bool, **options):
        try:
            manifest = restore_backup(archive, force=force, progress=progress_bars(self.stderr, not no_progress))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup of %(created)s: %(rows)s rows and %(files)s media files; search index rebuilt.")
                % {"created": manifest.created, "rows": sum(manifest.counts.values()), "files": manifest.media_files}
            )
        )
