"""`manage.py backup` then `manage.py restore` into an empty DATA_DIR gives back the same site.

The source site is this test's database (committed for real) and DATA_DIR; the backup, the restore
and the page rendering each run in a process of their own, with the development settings, as an
operator would run them. The restored site serves the same pages, finds the article in search
(its index rebuilt, not copied) and has the same media file.
"""

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from support.models import Ticket
from tests.factories import make_article
from tests.factories.forum import make_topic
from tests.factories.stories import make_image
from tests.support.admin_helpers import a_ticket

BASE_DIR = Path(settings.BASE_DIR)

#: Renders a few URLs with the test client and prints them as JSON, with what a page cannot show.
RENDER = """
import json, sys
from django.test import Client
from support.models import Ticket
from tests.factories import BROWSER_HEADERS
client = Client(SERVER_NAME="localhost", **BROWSER_HEADERS)
pages = {url: client.get(url, follow=True) for url in sys.argv[1:]}
print(json.dumps({
    "pages": {url: [r.status_code, r.content.decode()] for url, r in pages.items()},
    "tickets": sorted(Ticket.objects.values_list("reference", flat=True)),
}))
"""


def manage(*arguments, data_dir, database=None, check=True):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    if database:
        environment["DATABASE_URL"] = f"sqlite:///{database}"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def render(urls, **site):
    """{url: (status, html)} and the ticket references, from a process of the given site."""
    script = RENDER.replace("sys.argv[1:]", repr(list(urls)))
    output = manage("shell", "-c", script, **site).stdout
    return json.loads(output.strip().splitlines()[-1])


def comparable(html: str) -> str:
    """The page without what differs on every request: CSRF tokens, CSP nonces and "5 seconds ago"
    (the <time> element's datetime attribute stays, and must match)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    html = re.sub(r'("csrfToken": ")[^"]+|(nonce=")[^"]+', r"\1\2", html)
    return re.sub(r"(<time [^>]*>)[^<]*(</time>)", r"\1\2", html)


@pytest.fixture
def site(help_centers):
    article = make_article("Replace the toner cartridge", body="Open the front cover and pull the cartridge.")
    topic = make_topic("Toner smears on every page")
    ticket = a_ticket("The printer jams")
    image = make_image("Printer diagram")
    return {"article": article, "topic": topic, "ticket": ticket, "image": image}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_site_serves_the_same_pages_and_finds_the_article(site, tmp_path):
    source = {"data_dir": settings.DATA_DIR, "database": connection.settings_dict["NAME"]}
    archive = tmp_path / "site.tar.gz"
    restored_dir = tmp_path / "restored"
    urls = [site["article"].url, site["topic"].get_absolute_url(), "/search/?q=toner+cartridge"]
    image_name = site["image"].file.name

    backup = manage("backup", "--output", str(archive), **source)
    before = render(urls, **source)
    restore = manage("restore", str(archive), data_dir=restored_dir)
    after = render(urls, data_dir=restored_dir)

    assert "Backed up" in backup.stdout and "Database pages" in backup.stderr
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
    assert manifest["vendor"] == "sqlite" and manifest["format"] == 1 and manifest["media_files"] >= 1
    assert manifest["counts"]["support_ticket"] == Ticket.objects.count() == 1
    assert f"media/{image_name}" in names and not any("whoosh" in name for name in names)
    assert "Restored" in restore.stdout
    assert after["tickets"] == before["tickets"] == [site["ticket"].reference]
    for url in urls[:2]:  # the search page is rebuilt from the database, so it is checked by what it finds
        assert after["pages"][url][0] == before["pages"][url][0] == 200, url
        assert comparable(after["pages"][url][1]) == comparable(before["pages"][url][1]), url
    search = after["pages"]["/search/?q=toner+cartridge"]
    assert search[0] == 200 and "Replace the toner cartridge" in search[1]
    assert (restored_dir / "media" / image_name).read_bytes() == Path(site["image"].file.path).read_bytes()
    assert (restored_dir / "whoosh").is_dir()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_site_that_is_already_there_unless_forced(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    manage(
        "backup",
        "--output",
        str(archive),
        "--no-progress",
        data_dir=settings.DATA_DIR,
        database=connection.settings_dict["NAME"],
    )
    target = tmp_path / "target"
    manage("restore", str(archive), "--no-progress", data_dir=target)

    again = manage("restore", str(archive), "--no-progress", data_dir=target, check=False)
    forced = manage("restore", str(archive), "--no-progress", "--force", data_dir=target, check=False)

    assert again.returncode == 1
    assert "Refusing to restore over an existing site" in again.stderr and "Traceback" not in again.stderr
    assert forced.returncode == 0, forced.stderr


def test_a_missing_or_damaged_archive_is_a_clear_error(tmp_path):
    whole = tmp_path / "whole.tar.gz"
    with tarfile.open(whole, "w:gz") as tar:
        tar.add(BASE_DIR / "manage.py", arcname="database/db.sqlite3")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(whole.read_bytes()[:40])
    (tmp_path / "garbage.tar.gz").write_text("not an archive")

    errors = {
        name: manage(
            "restore", str(tmp_path / name), "--no-progress", data_dir=tmp_path / name.split(".")[0], check=False
        ).stderr
        for name in ["missing.tar.gz", "garbage.tar.gz", "truncated.tar.gz", "whole.tar.gz"]
    }

    assert "No backup at" in errors["missing.tar.gz"]
    assert "is not a readable backup" in errors["garbage.tar.gz"]
    assert "is not a readable backup" in errors["truncated.tar.gz"]
    assert "no valid manifest" in errors["whole.tar.gz"]
    assert all(error.startswith("CommandError") and "Traceback" not in error for error in errors.values()), errors
