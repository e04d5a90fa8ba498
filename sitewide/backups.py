"""Backups of everything the site writes: the database and the media files, in one tar.gz.

The archive holds ``manifest.json`` (format, when, which database vendor, the row count of every
table), the database (``database/db.sqlite3`` copied with SQLite's online backup API, consistent
while the site keeps serving; or ``database/postgresql.dump`` from ``pg_dump --format=custom``)
and ``media/``. The search index is left out: restore rebuilds it from the restored database, so
it can never disagree with it.

Restore refuses a DATA_DIR (or a PostgreSQL database) that already holds a site unless told to
``force``; then it migrates the restored database forward (a backup from older code) and
rebuilds the search index.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

#: Bumped when the archive's layout changes; restore refuses formats it does not know.
FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
POSTGRES_MEMBER = "database/postgresql.dump"
#: SQLite pages copied per step of the online backup: small steps let writers in between.
PAGES_PER_STEP = 256


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running it."""


@dataclass
class Manifest:
    vendor: str
    created: str
    counts: dict[str, int]
    media_files: int
    format: int = FORMAT
    django_version: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def vendor() -> str:
    return connection.vendor


def table_names() -> list[str]:
    """The tables of every installed model, the ones a restore must bring back."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def count_rows(execute, existing: set[str]) -> dict[str, int]:
    """Rows per table of the installed models, through ``execute(sql) -> int``.

    Only ``existing`` tables are counted: a model whose migration never ran has none.
    """
    return {
        table: execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names come from the models
        for table in table_names()
        if table in existing
    }


def sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    existing = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return count_rows(lambda sql: database.execute(sql).fetchone()[0], existing)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# --- Backup -----------------------------------------------------------------------------------


def create_backup(archive: Path, *, progress) -> Manifest:
    """Write the archive; ``progress(description, total)`` returns a tqdm-like bar."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        work = Path(work)
        if vendor() == "sqlite":
            database = work / "db.sqlite3"
            counts = copy_sqlite(database, progress=progress)
            member = SQLITE_MEMBER
        elif vendor() == "postgresql":
            database = work / "postgresql.dump"
            counts = dump_postgres(database)
            member = POSTGRES_MEMBER
        else:
            raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor()})
        files = media_files()
        manifest = Manifest(
            vendor=vendor(),
            created=timezone.now().isoformat(),
            counts=counts,
            media_files=len(files),
            django_version=django.get_version(),
        )
        (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(database, arcname=member)
            bar = progress(_("Media files"), len(files))
            root = Path(settings.MEDIA_ROOT)
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
                bar.update(1)
            bar.close()
        partial.replace(archive)  # a backup that stopped half way never looks like a whole one
    return manifest


def copy_sqlite(destination: Path, *, progress) -> dict[str, int]:
    """Copy the live database with SQLite's online backup API and count the copy's rows."""
    connection.ensure_connection()
    bar = progress(_("Database pages"), None)

    def report(status, remaining, total):
        bar.total = total
        bar.n = total - remaining
        bar.refresh()

    with sqlite3.connect(destination) as target:
        connection.connection.backup(target, pages=PAGES_PER_STEP, progress=report)
    bar.close()
    copy = sqlite3.connect(destination)
    try:
        return sqlite_counts(copy)
    finally:
        copy.close()


def postgres_environment() -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore, the password through the environment only."""
    database = settings.DATABASES["default"]
    options = ["--dbname", database["NAME"], "--no-owner", "--no-privileges"]
    if database.get("HOST"):
        options += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        options += ["--port", str(database["PORT"])]
    if database.get("USER"):
        options += ["--username", database["USER"]]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return options, environment


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("%(tool)s is not installed: install PostgreSQL's client tools (Debian: postgresql-client).")
            % {"tool": name}
        )
    return path


def dump_postgres(destination: Path) -> dict[str, int]:
    options, environment = postgres_environment()
    counts = count_rows(postgres_count, set(connection.introspection.table_names()))
    result = subprocess.run(  # noqa: S603 - fixed program, options from settings
        [require_tool("pg_dump"), "--format=custom", "--file", str(destination), *options],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
    return counts


def postgres_count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


# --- Restore ----------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        data = json.loads(tar.extractfile(MANIFEST).read().decode("utf-8"))
        manifest = Manifest(**data)
    except (KeyError, AttributeError, TypeError, ValueError):
        raise BackupError(_("This is not a backup of this site: it has no valid manifest.")) from None
    if manifest.format != FORMAT:
        raise BackupError(_("This backup's format (%(format)s) is not one this version can restore.") % data)
    return manifest


def open_archive(archive: Path) -> tarfile.TarFile:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("No backup at %(path)s.") % {"path": archive})
    tar = None
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - the caller closes it
        tar.getmembers()  # reads the whole archive: a truncated or corrupt one fails here
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if tar is not None:
            tar.close()
        raise BackupError(
            _("%(path)s is not a readable backup (%(error)s).") % {"path": archive, "error": error}
        ) from None
    return tar


def site_already_there() -> list[str]:
    """What a restore would overwrite: an empty list when DATA_DIR and the database hold no site."""
    found = []
    if table_names_in_database():
        found.append(_("the database has tables"))
    if media_files():
        found.append(_("MEDIA_ROOT has files"))
    return found


def table_names_in_database() -> list[str]:
    if vendor() == "sqlite" and not Path(settings.DATABASES["default"]["NAME"]).exists():
        return []
    return connection.introspection.table_names()


def restore_backup(archive: Path, *, force: bool, progress) -> Manifest:
    tar = open_archive(archive)
    with tar:
        manifest = read_manifest(tar)
        if manifest.vendor != vendor():
            raise BackupError(
                _("This backup holds a %(backup)s database; this site is configured for %(site)s.")
                % {"backup": manifest.vendor, "site": vendor()}
            )
        existing = site_already_there()
        if existing and not force:
            raise BackupError(
                _("Refusing to restore over an existing site (%(what)s). Use --force to replace it.")
                % {"what": "; ".join(existing)}
            )
        with tempfile.TemporaryDirectory(prefix="restore-") as work:
            work = Path(work)
            member = SQLITE_MEMBER if manifest.vendor == "sqlite" else POSTGRES_MEMBER
            try:
                tar.extract(member, work, filter="data")
            except KeyError:
                raise BackupError(_("The backup has no database in it.")) from None
            if manifest.vendor == "sqlite":
                restore_sqlite(work / member, manifest)
            else:
                restore_postgres(work / member)
            restore_media(tar, progress=progress)
    connection.close()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    return manifest


def restore_sqlite(copy: Path, manifest: Manifest) -> None:
    source = sqlite3.connect(copy)
    try:
        counts = sqlite_counts(source)
        if counts != {table: n for table, n in manifest.counts.items() if table in counts}:
            raise BackupError(_("The backup's database does not match its manifest: the archive is damaged."))
        connection.close()
        target_path = Path(settings.DATABASES["default"]["NAME"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(target_path) as target:
            source.backup(target, pages=PAGES_PER_STEP)
    except sqlite3.DatabaseError as error:
        raise BackupError(_("The backup's database is damaged (%(error)s).") % {"error": error}) from None
    finally:
        source.close()


def restore_postgres(dump: Path) -> None:
    options, environment = postgres_environment()
    connection.close()
    result = subprocess.run(  # noqa: S603 - fixed program, options from settings
        [require_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", *options, str(dump)],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()})


def restore_media(tar: tarfile.TarFile, *, progress) -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    members = [member for member in tar.getmembers() if member.name.startswith("media/") and member.isfile()]
    bar = progress(_("Media files"), len(members))
    for member in members:
        member.name = member.name.removeprefix("media/")
        tar.extract(member, root, filter="data")  # refuses absolute paths and "..": a hostile archive
        bar.update(1)
    bar.close()
