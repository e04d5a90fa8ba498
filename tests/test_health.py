"""GET /healthz reports each part the site depends on, and answers JSON even when one is down."""

import json
import shutil

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections as search_connections


@pytest.fixture(params=["", "index"], ids=["index path is a file", "index directory cannot be created"])
def unusable_search_index(request, tmp_path):
    """Point the Whoosh index at (or under) a file instead of a directory for one test."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the index directory should be")
    connections = {**settings.HAYSTACK_CONNECTIONS}
    connections["default"] = {**connections["default"], "PATH": str(blocker / request.param)}
    # haystack builds a connection once per thread; reload it so it reads the overridden path.
    with override_settings(HAYSTACK_CONNECTIONS=connections):
        search_connections.reload("default")
        yield
    search_connections.reload("default")


def get_health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_healthz_answers_200_when_every_part_is_ok(client, db):
    response, report = get_health(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert report["status"] == "ok"
    for part in ("database", "search_index", "channel_layer"):
        assert report[part]["ok"] is True, part
    assert report["search_index"]["engine"] == "MultilingualWhooshEngine"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_in_json_when_the_search_index_is_unusable(client, db, unusable_search_index):
    response, report = get_health(client)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert report["status"] == "unavailable"
    assert report["search_index"]["ok"] is False
    assert report["search_index"]["error"]
    assert report["database"]["ok"] is True
    assert report["channel_layer"]["ok"] is True


def test_healthz_is_healthy_again_once_the_index_is_back(client, db):
    response, report = get_health(client)

    assert response.status_code == 200
    assert report["search_index"]["ok"] is True


def test_healthz_refuses_post(client, db):
    response = client.post("/healthz")

    assert response.status_code == 405


def test_healthz_notices_an_index_that_breaks_after_it_was_opened(client, db, tmp_path):
    index_path = tmp_path / "whoosh"
    connections = {**settings.HAYSTACK_CONNECTIONS}
    connections["default"] = {**connections["default"], "PATH": str(index_path)}
    with override_settings(HAYSTACK_CONNECTIONS=connections):
        search_connections.reload("default")
        healthy_response, _report = get_health(client)
        shutil.rmtree(index_path)
        index_path.write_text("the index directory was replaced by a file")

        response, report = get_health(client)
    search_connections.reload("default")

    assert healthy_response.status_code == 200
    assert response.status_code == 503
    assert report["search_index"]["ok"] is False
