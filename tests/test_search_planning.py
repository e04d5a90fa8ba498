"""How the Whoosh backend plans a search: narrowing as cached document sets, frequent words left
out when rarer ones decide, and matches counted up to a limit.

These run the real service on a real index; only the size thresholds are lowered so a test
index of a few dozen documents behaves like a big one.
"""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection as db_connection
from haystack import connections

from kb.search import backend as whoosh_backend
from kb.search import service
from kb.search.limits import COUNT_LIMIT
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_index_thresholds(monkeypatch):
    """Words in more than 5 of the documents count as frequent (as 2,200 of 110,000 would)."""
    monkeypatch.setattr(whoosh_backend, "FREQUENT_TERM_MIN_DOCS", 5)
    monkeypatch.setattr(whoosh_backend, "FREQUENT_TERM_SHARE", 0.2)


@pytest.fixture
def coffee_articles(help_centers, django_capture_on_commit_callbacks):
    """Twelve articles that all say "coffee"; two of them are about grinders."""
    articles = [
        publish_article(django_capture_on_commit_callbacks, f"Brewing coffee, part {n}", body="Coffee notes.")
        for n in range(10)
    ]
    articles.append(
        publish_article(django_capture_on_commit_callbacks, "Cleaning a burr grinder", body="Coffee oils clog it.")
    )
    articles.append(
        publish_article(django_capture_on_commit_callbacks, "Choosing a grinder", body="Coffee grind size matters.")
    )
    return articles


def titles(hits):
    return {hit.title for hit in hits}


def test_a_frequent_word_does_not_make_a_document_match_when_rarer_words_decide(big_index_thresholds, coffee_articles):
    results = service.search(reader(), "coffee grinder", language="en")

    assert titles(results.hits) == {"Cleaning a burr grinder", "Choosing a grinder"}
    assert results.total == 2


def test_a_query_of_only_frequent_words_still_finds_them(big_index_thresholds, coffee_articles):
    results = service.search(reader(), "coffee", language="en")

    assert results.total == 12


def test_without_the_size_thresholds_every_word_counts(coffee_articles):
    """A small index (the real thresholds) never leaves a word out."""
    results = service.search(reader(), "coffee grinder", language="en")

    assert results.total == 12
    assert titles(results.hits[:2]) == {"Cleaning a burr grinder", "Choosing a grinder"}


def test_when_every_word_is_frequent_the_rarest_decide(
    big_index_thresholds, help_centers, django_capture_on_commit_callbacks
):
    for n in range(8):
        publish_article(django_capture_on_commit_callbacks, f"How to reset it {n}", body="Reset and restart.")
    for n in range(6):
        publish_article(django_capture_on_commit_callbacks, f"How to restart it {n}", body="Restart only.")

    # "how", "to", "it" are in 14 documents, "restart" in 14 bodies but only 6 titles.
    results = service.search(reader(), "how to restart it", language="en")

    assert results.total == 14
    assert all("restart" in hit.title for hit in results.hits[:6])


def test_matches_are_counted_up_to_the_limit_and_the_page_says_more(client, help_centers, settings):
    backend = connections["default"].get_backend()
    backend.setup()
    with backend.write_lock():
        writer = backend.index.writer()
        for number in range(COUNT_LIMIT + 50):
            writer.add_document(
                id=f"kb.articlepage.{900000 + number}",
                django_ct="kb.articlepage",
                django_id=str(900000 + number),
                text=f"Espresso crema note {number}",
                title=f"Espresso {number}",
                language="en",
                language_exact="en",
                category="Coffee",
                category_exact="Coffee",
                content_type="article",
                content_type_exact="article",
                audience="public",
            )
        writer.commit()

    results = service.search(reader(), "espresso", language="en")
    assert results.total == COUNT_LIMIT + 1
    assert results.total_is_lower_bound
    assert results.num_pages == COUNT_LIMIT // results.per_page

    response = client.get("/en/search/", {"q": "espresso"})
    assert response.status_code == 200
    assert f"More than {COUNT_LIMIT} results" in response.content.decode()


def test_facet_counts_are_exact_below_the_limit(coffee_articles, help_centers, django_capture_on_commit_callbacks):
    publish_article(
        django_capture_on_commit_callbacks, "Coffee for teams", category="teams", category_title="Teams", body="Coffee."
    )

    results = service.search(reader(), "coffee", language="en")

    assert dict(results.facets["category"]) == {"Getting started": 12, "Teams": 1}
    assert dict(results.facets["content_type"]) == {"article": 13}


def test_a_facet_filter_narrows_without_changing_the_ranking_words(coffee_articles, django_capture_on_commit_callbacks):
    publish_article(
        django_capture_on_commit_callbacks, "Coffee for teams", category="teams", category_title="Teams", body="Coffee."
    )

    results = service.search(reader(), "coffee", language="en", filters={"category": "Teams"})

    assert titles(results.hits) == {"Coffee for teams"}
    assert results.total == 1


def test_the_cached_narrowing_follows_the_index_after_a_publish(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Descaling the kettle", body="Vinegar.")
    assert service.search(reader(), "descaling", language="en").total == 1

    publish_article(django_capture_on_commit_callbacks, "Descaling the espresso machine", body="Citric acid.")

    assert titles(service.search(reader(), "descaling", language="en").hits) == {
        "Descaling the kettle",
        "Descaling the espresso machine",
    }


def test_suggestions_do_not_need_a_count(coffee_articles, big_index_thresholds):
    hits = service.suggest(reader(), "grinder", language="en")

    assert titles(hits) == {"Cleaning a burr grinder", "Choosing a grinder"}


def test_optimize_search_index_merges_segments_and_search_still_answers(
    help_centers, django_capture_on_commit_callbacks
):
    for title in ("Pairing a mouse", "Pairing headphones", "Pairing a keyboard"):
        publish_article(django_capture_on_commit_callbacks, title, body="Bluetooth pairing.")
    backend = connections["default"].get_backend()
    assert backend.segment_count() > 1

    output = io.StringIO()
    call_command("optimize_search_index", stdout=output)

    assert backend.segment_count() == 1
    assert "into 1 in" in output.getvalue()
    assert service.search(reader(), "pairing", language="en").total == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_searches_from_many_threads_share_one_index_and_stay_correct(help_centers, django_capture_on_commit_callbacks):
    """Under ASGI each request runs in a new thread: they share open searchers, never results.

    Committed for real: each thread has its own database connection, and the re-check of hits
    (which the counts follow) must see the articles.
    """
    publish_article(django_capture_on_commit_callbacks, "Calibrating a monitor", body="Colour profile.")
    answers, errors = [], []

    def search_in_a_new_thread(query):
        try:
            answers.append((query, service.search(reader(), query, language="en").total))
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)
        finally:
            db_connection.close()

    threads = [
        threading.Thread(target=search_in_a_new_thread, args=(query,))
        for query in ["calibrating", "monitor", "nothing-like-this"] * 4
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(set(answers)) == [("calibrating", 1), ("monitor", 1), ("nothing-like-this", 0)]

    publish_article(django_capture_on_commit_callbacks, "Monitor stand height", body="Ergonomics.")
    thread = threading.Thread(target=search_in_a_new_thread, args=("monitor",))
    thread.start()
    thread.join()
    assert answers[-1] == ("monitor", 2)


def test_the_search_page_ranks_candidates_by_the_whole_query_including_left_out_words(
    big_index_thresholds, coffee_articles, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(whoosh_backend, "RESCORED_WORD_SHARE", 1.0)  # every left-out word re-scores
    publish_article(django_capture_on_commit_callbacks, "Grinder burrs", body="Coffee coffee coffee grinder burrs.")
    publish_article(django_capture_on_commit_callbacks, "Grinder motor", body="Grinder motor hums.")

    rescored = service.search(reader(), "coffee grinder motor burrs", language="en")
    monkeypatch.setattr(whoosh_backend, "FREQUENT_TERM_MIN_DOCS", 10**9)  # nothing left out
    whole = service.search(reader(), "coffee grinder motor burrs", language="en")

    rescored_order = [(hit.title, round(hit.score, 6)) for hit in rescored.hits]
    whole_order = [(hit.title, round(hit.score, 6)) for hit in whole.hits if hit.title in dict(rescored_order)]
    assert rescored_order == whole_order
    assert len(rescored_order) == 4  # the four documents with "grinder", "motor" or "burrs"
