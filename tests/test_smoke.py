import json

from tests.factories import make_article


def test_home_page_lists_an_imported_article_category(client, help_centers):
    make_article("Connect to a wireless network", category="net", category_title="Networking")

    response = client.get("/en/")

    assert response.status_code == 200
    assert "Networking" in response.content.decode()


def test_healthz_reports_each_part(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["status"] == "ok"
    assert {"database", "search_index", "channel_layer"} <= report.keys()
    assert all(report[part]["ok"] for part in ("database", "search_index", "channel_layer"))
