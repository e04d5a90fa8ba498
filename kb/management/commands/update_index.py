"""haystack's update_index, allowed to create a missing index: it is how an operator rebuilds one.

The running site never creates a missing index where content exists (kb.search.backend.
SearchIndexMissing); this command, ``rebuild_index`` (which calls it) and ``clear_index`` do.
Its batches are bulk writes spread over the machine's cores (kb.search.backend.parallel_writes),
and every model's documents share one writer: haystack reads ``--batch-size`` rows at a time
(the backend's BATCH_SIZE, 1,000, by default) and the index commits every COMMIT_SIZE documents
(10,000 by default, or ``--batch-size`` if that is larger), not once per model and batch.
"""

from contextlib import ExitStack

from haystack import connections
from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from kb.search.backend import index_creation_allowed, parallel_writes


class Command(HaystackUpdateIndex):
    help = HaystackUpdateIndex.help + " Creates the index if it is missing."

    def handle(self, **options):
        with index_creation_allowed(), parallel_writes(), ExitStack() as batches:
            if not options.get("workers"):
                # haystack's --workers writes from a pool of processes, each with writers of its own.
                for alias in options.get("using") or connections.connections_info.keys():
                    backend = connections[alias].get_backend()
                    if hasattr(backend, "batched_writes"):
                        read_size = options.get("batchsize") or backend.batch_size
                        commit_size = max(read_size, getattr(backend, "commit_size", read_size))
                        batches.enter_context(backend.batched_writes(commit_size))
            return super().handle(**options)
