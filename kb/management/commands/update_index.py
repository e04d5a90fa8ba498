"""haystack's update_index, allowed to create a missing index: it is how an operator rebuilds one.

The running site never creates a missing index where content exists (kb.search.backend.
SearchIndexMissing); this command, ``rebuild_index`` (which calls it) and ``clear_index`` do.
"""

from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from kb.search.backend import index_creation_allowed


class Command(HaystackUpdateIndex):
    help = HaystackUpdateIndex.help + " Creates the index if it is missing."

    def handle(self, **options):
        with index_creation_allowed():
            return super().handle(**options)
