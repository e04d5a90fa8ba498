"""haystack's update_index, allowed to create a missing index: it is how an operator rebuilds one.

The running site never creates a missing index where content exists (kb.search.backend.
SearchIndexMissing); this command, ``rebuild_index`` (which calls it) and ``clear_index`` do.
Its batches are bulk writes spread over the machine's cores (kb.search.backend.parallel_writes).
"""

from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from kb.search.backend import index_creation_allowed, parallel_writes


class Command(HaystackUpdateIndex):
    help = HaystackUpdateIndex.help + " Creates the index if it is missing."

    def handle(self, **options):
        with index_creation_allowed(), parallel_writes():
            return super().handle(**options)
