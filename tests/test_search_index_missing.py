"""A missing or empty index where content exists is "unavailable" until an operator rebuilds it.

Before, a server that found its index directory gone created a new empty one: /healthz said 200
with 0 documents and every search said "nothing matched".
"""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

from tests.factories import make_article
from tests.search_helpers import publish_article

pytestmark = pytest.mark.django_db


def index_path() -> Path:
    return Path(connections["default"].get_backend().path)


def health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)["search_index"]


@pytest.fixture
def indexed_site(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Calibrate the colour printer", body="Colour profiles.")
    return index_path()


def test_a_deleted_index_directory_makes_search_and_health_unavailable_and_is_not_recreated(client, indexed_site):
    shutil.rmtree(indexed_site)

    status, report = health(client)
    search_page = client.get("/en/search/", {"q": "printer"})
    suggestions = client.get("/api/suggest/", {"q": "printer"})

    assert status == 503 and report["ok"] is False and "rebuild_index" in report["error"]
    assert search_page.status_code == 503
    assert "temporarily unavailable" in search_page.content.decode()
    assert suggestions.status_code == 503
    assert not indexed_site.exists(), "the running site must not start a new, empty index"


def test_a_publish_after_the_index_disappeared_does_not_start_a_new_index_of_one_page(
    client, indexed_site, django_capture_on_commit_callbacks
):
    shutil.rmtree(indexed_site)

    with django_capture_on_commit_callbacks(execute=True):
        make_article("Pair a keyboard")

    assert not indexed_site.exists()
    assert health(client)[0] == 503


def test_an_empty_index_while_articles_exist_is_unavailable(client, indexed_site):
    connections["default"].get_backend().clear()  # an operator cleared it and did not re-fill it

    status, report = health(client)

    assert status == 503 and "empty" in report["error"]
    assert client.get("/en/search/", {"q": "printer"}).status_code == 503


def test_rebuild_index_brings_search_back(client, indexed_site):
    shutil.rmtree(indexed_site)
    assert health(client)[0] == 503

    call_command("rebuild_index", interactive=False, verbosity=0)

    status, report = health(client)
    assert status == 200 and report["documents"] == 1
    assert "Calibrate the colour printer" in client.get("/en/search/", {"q": "printer"}).content.decode()


def test_a_site_without_content_starts_with_an_empty_index_and_is_healthy(client, db):
    shutil.rmtree(index_path(), ignore_errors=True)

    status, report = health(client)

    assert status == 200 and report["documents"] == 0
