"""Merge the on-disk search index into one segment, after a bulk import or nightly.

Whoosh writes each batch as a new segment and merges small ones as it goes; a search reads
every segment, so after a large import (or a long run of single updates) one merge makes
searches faster again (BENCHMARKS.md). Takes the backend's write lock, so publishes wait for
it instead of failing. Other engines (Elasticsearch, Solr) manage their own segments.
"""

import time

from django.core.management.base import BaseCommand
from haystack import connections


class Command(BaseCommand):
    help = "Merge the Whoosh search index into one segment (after bulk imports, or nightly)."

    def handle(self, *args, **options):
        backend = connections["default"].get_backend()
        if not hasattr(backend, "optimize"):
            self.stdout.write("This search engine merges its own segments; nothing to do.")
            return
        started = time.perf_counter()
        segments_before, segments_after = backend.optimize()
        self.stdout.write(
            self.style.SUCCESS(
                f"Merged {segments_before} segment(s) into {segments_after} in {time.perf_counter() - started:.1f} s."
            )
        )
