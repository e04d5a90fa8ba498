"""Faults: the search index unreadable or out of space, Redis down, a worker killed mid-request.

Pages keep serving, users get a clear message instead of a traceback, nothing committed is lost,
and `manage.py update_index` brings the index back in step once it can be read and written again.
(SMTP down is tests/test_email_outbox.py: mail waits in the outbox and is retried.)
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from haystack import connections

from forum import services as forum
from forum.models import Post
from kb.models import ArticlePage
from support.models import Ticket
from tests.factories import BROWSER_HEADERS, make_article
from tests.factories.forum import make_category, make_member
from tests.redis_server import REDIS_SERVER, start_redis
from tests.search_helpers import publish_article
from tests.support.test_contact_form import start_visit, submit


def index_path() -> Path:
    return Path(connections["default"].get_backend().path)


def search_finds(client, word: str, title: str) -> bool:
    response = client.get("/en/search/", {"q": word})
    return response.status_code == 200 and title in response.content.decode()


def catch_up_index() -> None:
    """What the README tells an operator to run once the index can be used again."""
    call_command("update_index", verbosity=0)


@pytest.fixture
def reader_client():
    return Client(**BROWSER_HEADERS)


@pytest.fixture
def site(help_centers, django_capture_on_commit_callbacks):
    """An indexed article and an indexed forum topic, and the member who wrote the topic."""
    article = publish_article(django_capture_on_commit_callbacks, "Calibrate the colour printer", body="Profiles.")
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        topic = forum.create_topic(
            member, category=make_category(), title="Scanner jams on thick paper", body="It jams every time."
        )
    return {"article": article, "topic": topic, "member": member}


# --- The search index unreadable -------------------------------------------------------------------


def corrupt_table_of_contents() -> list[tuple[Path, bytes]]:
    """Overwrite every table-of-contents file of the index with garbage; returns what was there.

    (A chmod would not do: the tests may run as root, who reads a mode-000 file all the same.)
    """
    saved = []
    for toc in index_path().glob("*.toc"):
        saved.append((toc, toc.read_bytes()))
        toc.write_bytes(b"\x00not a whoosh table of contents\x00" * 4)
    assert saved, "the index has no table of contents to corrupt"
    return saved


def restore(saved) -> None:
    for toc, content in saved:
        toc.write_bytes(content)


@pytest.fixture
def unreadable_index(site):
    """The index's table of contents corrupted; the restore function (also run afterwards)."""
    saved = corrupt_table_of_contents()
    yield lambda: restore(saved)
    restore(saved)


@pytest.mark.django_db
def test_an_unreadable_index_makes_search_say_unavailable_while_pages_and_writes_go_on(
    reader_client, site, unreadable_index
):

    search_page = reader_client.get("/en/search/", {"q": "printer"})
    suggestions = reader_client.get("/api/suggest/", {"q": "printer"})
    article_page = reader_client.get(site["article"].url)
    topic_page = reader_client.get(site["topic"].get_absolute_url())
    forum_index = reader_client.get(reverse("forum:index"))
    health = reader_client.get("/healthz")

    assert search_page.status_code == 503 and "temporarily unavailable" in search_page.content.decode()
    assert "Traceback" not in search_page.content.decode()
    assert suggestions.status_code == 503
    assert json.loads(suggestions.content) == {"results": [], "error": "search is temporarily unavailable"}
    assert article_page.status_code == topic_page.status_code == forum_index.status_code == 200
    assert health.status_code == 503 and json.loads(health.content)["search_index"]["ok"] is False


@pytest.mark.django_db
def test_writes_while_the_index_is_unreadable_are_committed_and_found_after_update_index(
    reader_client, site, unreadable_index, django_capture_on_commit_callbacks
):
    reader_client.force_login(site["member"])

    with django_capture_on_commit_callbacks(execute=True):
        reply = reader_client.post(
            reverse("forum:reply", args=[site["topic"].pk]), {"body": "Try the manual feed tray with zyxquartz."}
        )
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Replace the fuser unit", body="The fuser holds qwvortex rollers.")
    contact = reader_client.get("/en/support/contact/")

    assert reply.status_code == 302
    assert Post.objects.filter(body_markdown__contains="zyxquartz").exists()
    assert ArticlePage.objects.live().filter(title="Replace the fuser unit").exists()
    assert contact.status_code == 200, "the contact form (which suggests articles) still opens"

    unreadable_index()  # readable again
    catch_up_index()

    assert search_finds(reader_client, "qwvortex", "Replace the fuser unit")
    assert search_finds(reader_client, "zyxquartz", "Scanner jams on thick paper")


# --- A full disk under DATA_DIR ------------------------------------------------------------------


@pytest.fixture
def full_index_disk(site):
    """The index directory on a 16 MB tmpfs, filled up to the last byte."""
    path = index_path()
    keep = path.parent / f"{path.name}-before-full-disk"
    shutil.copytree(path, keep)
    mounted = subprocess.run(  # noqa: S603 - our own argument list
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(path)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        shutil.rmtree(keep)
        pytest.skip(f"cannot mount a small tmpfs to fill up (needs root): {mounted.stderr.decode().strip()}")
    try:
        for entry in keep.iterdir():
            shutil.copy2(entry, path / entry.name)
        filler = path / "filler"
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(descriptor, b"\0" * 4096):
                pass
        except OSError:
            pass  # no space left on device: the point
        finally:
            os.close(descriptor)
        yield {"path": path, "filler": filler}
    finally:
        connections["default"].get_backend().index.reset()  # close the searchers on the tmpfs
        subprocess.run(["umount", "-l", str(path)], check=True)  # noqa: S603, S607
        shutil.rmtree(keep)


@pytest.mark.django_db
def test_a_full_disk_under_the_index_keeps_replies_and_tickets_and_the_index_catches_up(
    reader_client, site, full_index_disk, django_capture_on_commit_callbacks
):
    member_client = Client(**BROWSER_HEADERS)
    member_client.force_login(site["member"])
    with django_capture_on_commit_callbacks(execute=True):
        reply = member_client.post(
            reverse("forum:reply", args=[site["topic"].pk]), {"body": "Clean the rollers with plixmonium."}
        )
    visit = start_visit(reader_client)
    ticket = submit(reader_client, visit, django_capture_on_commit_callbacks, email="full-disk@example.com")

    assert reply.status_code == 302
    assert Post.objects.filter(body_markdown__contains="plixmonium").exists()
    assert ticket.status_code == 302 and Ticket.objects.filter(requester_email="full-disk@example.com").exists()
    assert reader_client.get(site["article"].url).status_code == 200
    assert not search_finds(reader_client, "plixmonium", "Scanner jams on thick paper")

    full_index_disk["filler"].unlink()
    catch_up_index()

    assert search_finds(reader_client, "plixmonium", "Scanner jams on thick paper")


# --- Redis down ------------------------------------------------------------------------------------


@pytest.fixture
def stopped_redis(tmp_path, settings):
    """CACHES and CHANNEL_LAYERS as REDIS_URL makes them, pointing at a redis-server since stopped."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (`make test` installs Debian's redis-server)")
    process, url = start_redis(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "sitewide.cache.RedisCache", "LOCATION": url}}
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [{"address": url}]}}
    }
    settings.PAGE_CACHE_SECONDS = 300
    process.kill()
    process.wait(timeout=10)
    return url


@pytest.mark.django_db
def test_with_redis_down_pages_and_replies_still_work_and_health_says_so(
    reader_client, site, stopped_redis, django_capture_on_commit_callbacks
):
    article_page = reader_client.get(site["article"].url)
    topic_page = reader_client.get(site["topic"].get_absolute_url())
    member_client = Client(**BROWSER_HEADERS)
    member_client.force_login(site["member"])
    with django_capture_on_commit_callbacks(execute=True):
        reply = member_client.post(
            reverse("forum:reply", args=[site["topic"].pk]), {"body": "Reply while Redis is down."}
        )
    health = reader_client.get("/healthz")
    report = json.loads(health.content)

    assert article_page.status_code == 200 and "Calibrate the colour printer" in article_page.content.decode()
    assert topic_page.status_code == 200
    assert reply.status_code == 302 and Post.objects.filter(body_markdown="Reply while Redis is down.").exists()
    assert health.status_code == 503
    assert report["cache"]["ok"] is False and report["channel_layer"]["ok"] is False
    assert report["database"]["ok"] is True
