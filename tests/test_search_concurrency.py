"""Whoosh allows one writer at a time: concurrent publishes must all land, none lost."""

import threading

import pytest
from django.db import connection

from kb.search.service import search
from tests.factories import ensure_help_centers, make_article
from tests.search_helpers import reader

PUBLISHERS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_publishes_all_land_in_the_index():
    ensure_help_centers()
    make_article("Seed article", category="concurrency", category_title="Concurrency")
    start = threading.Barrier(PUBLISHERS)
    errors = []

    def publish(n):
        try:
            start.wait(timeout=30)
            make_article(
                f"Concurrent article {n}",
                category="concurrency",
                category_title="Concurrency",
                body=f"marker{n}word appears here.",
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(PUBLISHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    for n in range(PUBLISHERS):
        results = search(reader(), f"marker{n}word", language="en")
        assert [hit.title for hit in results.hits] == [f"Concurrent article {n}"]
    assert search(reader(), "concurrent", language="en").total == PUBLISHERS
