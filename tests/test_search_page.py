"""The search page and the suggestions API: results, facets, suggestions, and any input at all."""

import json

import pytest
from django.core.management import call_command
from haystack import connections

from kb.search.service import search
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"unbalanced quote',
    "(parentheses (nested)",
    "printer AND OR NOT",
    "NOT",
    "*",
    "title:*",
    ":::",
    "",
    "   ",
    "x" * 10_000,
    "printer\x00 setup",
    "'; DROP TABLE kb_articlepage; --",
    "<script>alert(1)</script>",
    "\u202eesrever \u200b\ufeff",
    "printer^3 ~2 [a TO z] {x}",
]


@pytest.fixture
def printing_articles(help_centers, django_capture_on_commit_callbacks):
    publish_article(
        django_capture_on_commit_callbacks, "Set up a printer", category="printing", category_title="Printing"
    )
    publish_article(
        django_capture_on_commit_callbacks, "Printer is jammed", category="printing", category_title="Printing"
    )
    publish_article(
        django_capture_on_commit_callbacks, "Share a printer on the network", category="net", category_title="Network"
    )


def test_any_query_gives_a_normal_search_page(client, printing_articles):
    for query in HOSTILE_QUERIES:
        response = client.get("/en/search/", {"q": query})

        assert response.status_code == 200, query
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_any_query_gives_a_normal_suggestion_answer(client, printing_articles):
    for query in HOSTILE_QUERIES:
        for language in ("en", "fa", "xx", ""):
            response = client.get("/api/suggest/", {"q": query, "lang": language})

            assert response.status_code == 200, (query, language)
            assert isinstance(json.loads(response.content)["results"], list)


def test_results_have_highlighted_escaped_snippets(client, help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Unusual text", body="Type &lt;b&gt; then the printer name.")

    html = client.get("/en/search/", {"q": "printer"}).content.decode()

    assert "<mark>printer</mark>" in html
    assert "<b>" not in html.split('class="search-results"')[1]


def test_facets_count_results_and_filter_by_category(client, printing_articles):
    html = client.get("/en/search/", {"q": "printer"}).content.decode()
    assert "Printing" in html and "Network" in html

    filtered = client.get("/en/search/", {"q": "printer", "category": "Network"}).content.decode()
    assert "Share a printer on the network" in filtered
    assert "Printer is jammed" not in filtered


def test_results_are_paginated(client, help_centers, django_capture_on_commit_callbacks):
    for n in range(12):
        publish_article(django_capture_on_commit_callbacks, f"Printer tip {n}")

    first = client.get("/en/search/", {"q": "printer"}).content.decode()
    second = client.get("/en/search/", {"q": "printer", "page": 2}).content.decode()

    assert first.count('class="search-result"') == 10
    assert second.count('class="search-result"') == 2
    assert 'rel="next"' in first


def test_a_misspelt_query_offers_a_did_you_mean(client, printing_articles):
    html = client.get("/en/search/", {"q": "priner"}).content.decode()

    assert "Did you mean" in html
    assert "printer" in html.split("Did you mean")[1][:200]


def test_no_results_offer_other_ways_to_get_help(client, printing_articles):
    html = client.get("/en/search/", {"q": "zzzqqq"}).content.decode()

    assert 'class="no-results"' in html
    assert "Browse all topics" in html


def test_suggestions_match_a_whole_sentence_with_any_of_its_words(client, printing_articles):
    response = client.get("/api/suggest/", {"q": "my printer at home is not working at all", "lang": "en"})

    results = json.loads(response.content)["results"]
    assert results
    assert set(results[0]) >= {"title", "url", "snippet", "type"}
    assert all("printer" in result["title"].lower() for result in results)


def test_the_search_page_runs_a_bounded_number_of_queries(client, printing_articles, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/en/search/", {"q": "printer"})


@pytest.fixture
def broken_index(settings, tmp_path):
    working = settings.HAYSTACK_CONNECTIONS
    not_a_directory = tmp_path / "index-file"
    not_a_directory.write_text("not an index")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "kb.search.backend.MultilingualWhooshEngine", "PATH": str(not_a_directory)}
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield
    # Engines read settings when created: drop this one and let the next use create a working
    # engine after pytest-django has restored the settings.
    connections.connections_info = working
    connections.thread_local.connections.pop("default", None)


def test_when_the_index_is_unavailable_pages_still_serve_and_search_says_so(client, help_centers, broken_index):
    assert client.get("/en/").status_code == 200

    page = client.get("/en/search/", {"q": "printer"})
    assert page.status_code == 503
    assert "temporarily unavailable" in page.content.decode()

    api = client.get("/api/suggest/", {"q": "printer", "lang": "en"})
    assert api.status_code == 503
    assert json.loads(api.content)["results"] == []


def test_rebuild_index_indexes_every_live_article_and_reports_progress(
    help_centers, django_capture_on_commit_callbacks, capsys
):
    for n in range(3):
        publish_article(django_capture_on_commit_callbacks, f"Rebuild check {n}")
    connections["default"].get_backend().clear()

    call_command("rebuild_index", interactive=False, verbosity=2)

    output = capsys.readouterr().out
    assert "Indexing 3 articles" in output
    assert "indexed 1 - 3 of 3" in output
    assert search(reader(), "rebuild", language="en").total == 3


def test_suggestions_are_rate_limited_with_a_clear_answer(client, help_centers, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "suggest": (3, 60)}

    answers = [client.get("/api/suggest/", {"q": f"printer {n}", "lang": "en"}) for n in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert json.loads(answers[-1].content)["results"] == []
    assert "Too many requests" in json.loads(answers[-1].content)["error"]
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_search_page_is_rate_limited(client, help_centers, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}

    statuses = [client.get("/en/search/", {"q": "printer"}).status_code for _attempt in range(3)]

    assert statuses == [200, 200, 429]


def test_an_exempt_address_is_never_rate_limited(client, help_centers, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (1, 60)}
    settings.RATE_LIMIT_EXEMPT_ADDRESSES = ["10.0.0.9"]

    exempt = [client.get("/en/search/", {"q": "printer"}, REMOTE_ADDR="10.0.0.9").status_code for _ in range(3)]
    others = [client.get("/en/search/", {"q": "printer"}, REMOTE_ADDR="10.0.0.10").status_code for _ in range(2)]

    assert exempt == [200, 200, 200]
    assert others == [200, 429]


def test_suggestions_match_the_word_still_being_typed(client, printing_articles):
    results = json.loads(client.get("/api/suggest/", {"q": "jamm", "lang": "en"}).content)["results"]

    assert [result["title"] for result in results] == ["Printer is jammed"]


def test_a_stale_document_of_an_unknown_type_does_not_break_search(
    client, printing_articles, django_capture_on_commit_callbacks
):
    backend = connections["default"].get_backend()
    backend.setup()
    writer = backend.index.writer()
    writer.update_document(
        id="gone.model.1", django_ct="gone.model", django_id="1", text="printer leftovers", title="Old printer"
    )
    writer.commit()

    response = client.get("/en/search/", {"q": "printer"})

    assert response.status_code == 200
    assert "Old printer" not in response.content.decode()
    assert "Set up a printer" in response.content.decode()
