"""A haystack engine on Whoosh that analyses every site language and never loses a write.

Two differences from haystack's own Whoosh backend:

* fields keep the analyzers their SearchIndex gives them (kb.search.analysis), and only the
  short facet fields are sortable columns (haystack makes every text field a column, which
  doubles the size of an index of long documents);
* Whoosh allows one writer at a time. haystack's AsyncWriter hands a locked write to a
  background thread, where it can be lost or land after a later one. Here every write takes a
  lock (a thread lock in the process, an flock on a file for other processes on the machine)
  and then writes synchronously, so concurrent publishes queue and all land.
"""

import fcntl
import os
import threading
from contextlib import contextmanager

from django.apps import apps
from haystack.backends import whoosh_backend
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID, TEXT
from whoosh.qparser import OrGroup, QueryParser

_process_lock = threading.RLock()


def _model_or_none(app_label, model_name):
    """haystack's model lookup, but None for a type the index knows and the code no longer has.

    Without this, one stale document of a removed content type (or a model renamed since the
    last rebuild) makes every search that ranks it fail until the index is rebuilt.
    """
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


# haystack's result processing calls this module-level name for every hit.
whoosh_backend.haystack_get_model = _model_or_none
#: Fields whose values are sorted or faceted on (whole-value columns).
COLUMN_FIELD_SUFFIX = "_exact"


class _ReusedSearcher:
    """A searcher that survives haystack's close() so the next search reuses its open files."""

    def __init__(self, searcher):
        self._searcher = searcher

    def __getattr__(self, name):
        return getattr(self._searcher, name)

    def close(self):
        pass


class _SearcherCachingIndex:
    """Wraps a Whoosh index so searches reuse one open searcher, refreshed when the index changed.

    haystack opens (and closes) a new searcher for every search, which re-reads the index's table
    of contents and reopens every segment file. Backends are per thread, so each thread keeps its
    own searcher.
    """

    def __init__(self, index):
        self._index = index
        self._searcher = None

    def __getattr__(self, name):
        return getattr(self._index, name)

    def refresh(self):
        return self

    def searcher(self, **kwargs):
        if kwargs:
            return self._index.searcher(**kwargs)
        # refresh() returns the same searcher when nothing changed; otherwise a new one that
        # reuses (and itself closes) the old one's unchanged segment readers.
        self._searcher = self._searcher.refresh() if self._searcher is not None else self._index.searcher()
        return _ReusedSearcher(self._searcher)


class MultilingualWhooshSearchBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name, field in list(schema.items()):
            if name.endswith(COLUMN_FIELD_SUFFIX):
                # Facet values are whole strings ("Color management"), not analysed words.
                schema.remove(name)
                schema.add(name, ID(stored=True, sortable=True))
            elif isinstance(field, TEXT):
                field.column_type = None
        return content_field_name, schema

    def setup(self):
        super().setup()
        # Terms joined without an operator match any of them, ranked by how many match:
        # customers type whole sentences, and requiring every word would find nothing.
        self.parser = QueryParser(self.content_field_name, schema=self.schema, group=OrGroup.factory(0.9))
        if not isinstance(self.index, _SearcherCachingIndex):
            self.index = _SearcherCachingIndex(self.index)

    @contextmanager
    def write_lock(self):
        with _process_lock:
            os.makedirs(self.path, exist_ok=True)
            with open(os.path.join(self.path, ".write-lock"), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        documents = []
        for obj in iterable:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)
            documents.append({key: self._from_python(value) for key, value in document.items()})
        if not documents:
            return
        with self.write_lock():
            writer = self.index.writer(timeout=60)
            try:
                for document in documents:
                    writer.update_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        """Remove documents by identifier ("app.model.pk") in one write."""
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            writer = self.index.writer(timeout=60)
            for identifier in identifiers:
                writer.delete_by_term("id", identifier)
            writer.commit()

    def clear(self, models=None, commit=True):
        with self.write_lock():
            super().clear(models=models, commit=commit)


class MultilingualWhooshEngine(WhooshEngine):
    backend = MultilingualWhooshSearchBackend
