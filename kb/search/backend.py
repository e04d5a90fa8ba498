"""A haystack engine on Whoosh that analyses every site language and never loses a write.

Three differences from haystack's own Whoosh backend:

* fields keep the analyzers their SearchIndex gives them (kb.search.analysis), and only the
  short facet fields are sortable columns (haystack makes every text field a column, which
  doubles the size of an index of long documents);
* Whoosh allows one writer at a time. haystack's AsyncWriter hands a locked write to a
  background thread, where it can be lost or land after a later one. Here every write takes a
  lock (a thread lock in the process, an flock on a file for other processes on the machine)
  and then writes synchronously, so concurrent publishes queue and all land;
* a missing index is never silently recreated empty (see :class:`SearchIndexMissing`), and an
  index built with another schema is not used until it is rebuilt (:class:`SearchIndexOutdated`);
* the schema indexes only what is searched: no second, unstemmed copy of the body for haystack's
  spelling suggestions (the ``spelling`` field serves them, public words only), and fields the
  search index declares ``indexed=False`` (url, summary) are stored, not analysed;
* a large write is a bulk write: one commit, deletions through one searcher, and the analysis
  spread over the machine's cores when allowed (:func:`parallel_writes`; rebuild_index,
  update_index and the importers);
* searches are planned for speed on a pure-Python engine (see :meth:`search`): narrowing
  (audiences, language, facet filters) is a cached document set, not part of the scored query;
  a word found in a large share of documents ranks documents but does not on its own make one
  match; matches are counted only up to :data:`COUNT_LIMIT`; one searcher stays open.
"""

import copy
import fcntl
import logging
import os
import pickle
import threading
from collections import Counter, OrderedDict
from contextlib import contextmanager
from itertools import islice

from django.apps import apps
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.codec import whoosh3
from whoosh.fields import ID, STORED, TEXT
from whoosh.qparser import OrGroup, QueryParser
from whoosh.util.numeric import byte_to_length

from kb.search.limits import COUNT_LIMIT

_process_lock = threading.RLock()
logger = logging.getLogger(__name__)


class SearchIndexMissing(Exception):
    """The index is missing, or empty, while the site has content to search.

    A server that found its index directory gone used to create a new, empty one: health said
    200 with 0 documents and every search said "nothing matched". Now only an operator's command
    creates an index (``rebuild_index``, ``clear_index``, ``update_index``, ``load_demo``; see
    :func:`index_creation_allowed`) or, on a site with no content yet, the first write; until
    then search answers "unavailable" (503) and /healthz is red.
    """


class SearchIndexOutdated(SearchIndexMissing):
    """The index on disk was built with another schema (fields or their formats changed since).

    Reading or writing it with this code's schema would misread its postings, so it is treated
    like a missing index until an operator rebuilds it (``rebuild_index``; ``load_demo`` does).
    """


#: Commands that may create the index (a counter: they nest, e.g. rebuild_index -> update_index).
_creation_allowed = 0
#: Bulk writes may fork writer processes (a counter: see parallel_writes).
_parallel_allowed = 0
#: A write of at least this many documents is a bulk write.
BULK_WRITE_MIN = 200
#: Documents handed to a writer process at a time in a parallel bulk write.
PARALLEL_BATCH = 50
#: Postings each process of a parallel bulk write sorts in memory (Whoosh's ``limitmb``, by its own
#: estimate; the process's real memory is about as much again). Past it Whoosh spills sorted runs
#: to disk and merges them back, which doubled the time of a 5,000-document segment; 512 holds
#: about 8,000 help articles per process. The connection option WRITER_MEMORY_MB overrides it.
WRITER_MEMORY_MB = 512
#: Documents per commit of update_index/rebuild_index (the connection option COMMIT_SIZE). Each
#: commit adds a segment per writer process and Whoosh merges small segments as they pile up:
#: committing every 1,000 documents spent half a 10,000-article rebuild re-merging them. With
#: the writers' memory above, 10,000 per commit writes each process's part without a spill.
COMMIT_SIZE = 10_000


@contextmanager
def index_creation_allowed():
    """Within this block, a missing index is created (an operator is building it)."""
    global _creation_allowed
    with _process_lock:
        _creation_allowed += 1
    try:
        yield
    finally:
        with _process_lock:
            _creation_allowed -= 1


@contextmanager
def parallel_writes():
    """Within this block, a bulk write spreads its analysis over the machine's cores.

    Whoosh's multi-process writer forks worker processes, each writing a segment of its own.
    Only commands ask for it (rebuild_index, update_index, the importers): a web server's
    process never forks from its request threads.
    """
    global _parallel_allowed
    with _process_lock:
        _parallel_allowed += 1
    try:
        yield
    finally:
        with _process_lock:
            _parallel_allowed -= 1


def writer_processes() -> int:
    """How many processes a parallel bulk write uses: the cores this process may run on, up to 4."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


def schema_signature(schema) -> list[tuple]:
    """What must match between an index on disk and the code: each field's type and format."""
    return sorted(
        (name, type(field).__name__, type(field.format).__name__ if field.format else "", bool(field.stored))
        for name, field in schema.items()
    )


def _site_has_searchable_content(unified_index) -> bool:
    return any(index.index_queryset().exists() for index in unified_index.get_indexes().values())


def _known_type(fields: dict) -> bool:
    """Whether a stored document is of a content type the code still has.

    haystack's result processing looks every hit's model up and fails on one it cannot find, so
    one stale document of a removed content type (or a model renamed since the last rebuild)
    would make every search that ranks it fail until the index is rebuilt. The planned search
    leaves such documents out before haystack sees them.
    """
    app_label, _dot, model_name = str(fields.get("django_ct", "")).partition(".")
    try:
        apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return False
    return True


#: Fields whose values are sorted or faceted on (whole-value columns).
COLUMN_FIELD_SUFFIX = "_exact"
#: A word in more than this share of the documents (and in more than FREQUENT_TERM_MIN_DOCS of
#: them) is "frequent": when the query has rarer words, it is left out, like a stop word. At
#: 110,000 documents a question's "how", "work" or "coffee" would otherwise have the engine score
#: most of the index for a word that barely changes the ranking (BM25 gives it a tiny weight).
#: Scoring it only for the documents the rarer words match (AND MAYBE) was measured slower than
#: leaving it out. Indexes of up to FREQUENT_TERM_MIN_DOCS documents never lose a word.
FREQUENT_TERM_SHARE = 0.01
FREQUENT_TERM_MIN_DOCS = 1000
#: How many documents the rarer words pick for the left-out frequent words to re-score.
RESCORED_CANDIDATES = 100
#: Only left-out words in at most this share of documents re-score (walking a word's postings
#: costs time in proportion to their length; "how" or "what" barely move a ranking).
RESCORED_WORD_SHARE = 0.1
#: When every word of a query is frequent, the rarest this many still make a document match,
#: in the fields where they are in at most ALL_FREQUENT_CEILING times the frequent threshold.
WORDS_KEPT_WHEN_ALL_FREQUENT = 2
ALL_FREQUENT_CEILING = 3
#: Narrowing document sets kept (audience x language x facet filter combinations).
FILTER_CACHE_SIZE = 64
#: Idle open searchers kept per process (one is in use per concurrently searching thread).
SEARCHER_POOL_SIZE = 8
#: The field spelling suggestions come from: public documents' words only (kb.search_indexes).
SPELLING_FIELD = "spelling"
#: Fields only ever asked "which documents contain this word (or prefix)": spelling suggestions
#: and the title's words for a word still being typed. No phrase is searched in them, so they keep
#: word counts, not each word's positions (a third of a rebuild's postings, never read).
WORD_ONLY_FIELDS = (SPELLING_FIELD, "title_words")
#: Corrections tried per word: a word of a document since removed or made private stays in the
#: term list until its segment is merged, so each candidate must still be in a live document.
SPELLING_CANDIDATES = 5


class _SharedIndex:
    """One per index directory and process: open searchers and narrowing sets shared by threads.

    haystack keeps a backend per thread, and under ASGI every request runs in a thread of its
    own, so anything kept on the backend is rebuilt for every request: opening the searcher
    (every segment file) and the narrowing sets (a pass over the whole index) cost 0.5 s per
    request at 110,000 documents. Here they live once per process. A searcher is used by one
    thread at a time (Whoosh searchers are not thread-safe); idle ones wait in a small pool and
    are replaced when the index has a new generation. Narrowing sets hold document numbers of
    one generation, so they are dropped with it.
    """

    def __init__(self, index):
        self._index = index
        self._lock = threading.Lock()
        self._generation = None
        self._idle = []
        #: (generation, narrowing query strings) -> the allowed document numbers, or None (all).
        self._filters = OrderedDict()

    def __getattr__(self, name):
        return getattr(self._index, name)

    def refresh(self):
        return self

    def reset(self):
        """Forget every open searcher and narrowing set (the index was cleared or recreated)."""
        with self._lock:
            idle, self._idle, self._generation = self._idle, [], None
            self._filters.clear()
        for searcher in idle:
            searcher.close()

    def _signature(self):
        """The index's generation, and when its table of contents was written: a rebuild in
        another process starts generations again from 0, so the number alone could repeat."""
        generation = self._index.latest_generation()
        toc = os.path.join(self._index.storage.folder, f"_{self._index.indexname}_{generation}.toc")
        try:
            return generation, os.stat(toc).st_mtime_ns
        except OSError:
            return generation, None

    @contextmanager
    def searcher_in_use(self):
        """An up-to-date searcher for this thread alone, returned to the pool afterwards."""
        generation = self._signature()
        with self._lock:
            if generation != self._generation:
                stale, self._idle, self._generation = self._idle, [], generation
                self._filters.clear()
            else:
                stale = []
            searcher = self._idle.pop() if self._idle else None
        for old in stale:
            old.close()
        if searcher is None:
            searcher = self._index.searcher()
        try:
            yield searcher
        finally:
            with self._lock:
                keep = searcher.reader().generation() == (self._generation or (None,))[0]
                keep = keep and len(self._idle) < SEARCHER_POOL_SIZE
                if keep:
                    self._idle.append(searcher)
            if not keep:
                searcher.close()

    def allowed_documents(self, searcher, narrow_queries, parse):
        """The document numbers every narrowing query matches (a cached set), or None for "all"."""
        key = (self._generation, searcher.reader().generation(), tuple(sorted(narrow_queries)))
        with self._lock:
            if key in self._filters:
                self._filters.move_to_end(key)
                return self._filters[key]
        allowed = None
        for narrow_query in key[-1]:
            parsed = parse(narrow_query)
            documents = set(searcher.docs_for_query(parsed)) if parsed is not None else set()
            allowed = documents if allowed is None else allowed & documents
        if allowed is not None and len(allowed) == searcher.doc_count():
            allowed = None  # narrowing that allows every live document: searching is cheaper without it
        with self._lock:
            self._filters[key] = allowed
            while len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return allowed


#: Index directory -> its _SharedIndex and the schema it was opened with, for this process.
_shared_indexes: dict[str, tuple] = {}
_shared_indexes_lock = threading.Lock()


class _Page:
    """The few parts of a Whoosh ResultsPage that haystack's _process_results reads."""

    def __init__(self, hits, total, groups):
        #: (stored fields, score) of each hit on the page, best first.
        self._hits = hits
        self._total = total
        self.results = self
        self._groups = groups

    def __len__(self):
        return self._total

    def __iter__(self):
        return (fields for fields, _score in self._hits)

    def score(self, offset):
        return self._hits[offset][1]

    def facet_names(self):
        return list(self._groups)

    def groups(self, name):
        return dict(self._groups[name])


def _query_leaves(query):
    if isinstance(query, whoosh_query.Term):
        yield query
    for child in query.children():
        yield from _query_leaves(child)


def without_frequent_terms(query, searcher):
    """``query`` without its frequent words (see FREQUENT_TERM_SHARE) if it has other words, and
    the word queries left out (for :func:`rescore`)."""
    documents = searcher.doc_count()
    threshold = max(FREQUENT_TERM_MIN_DOCS, FREQUENT_TERM_SHARE * documents)
    if documents <= threshold:
        return query, []
    keys = dict.fromkeys((leaf.fieldname, leaf.text) for leaf in _query_leaves(query))
    frequencies = {key: searcher.doc_frequency(*key) for key in keys}
    frequent = {key for key, count in frequencies.items() if count > threshold}
    if not frequent:
        return query, []
    if frequent == set(frequencies):
        # Every word is frequent ("is it possible to …", or one common word): the rarest few
        # words still decide, in the fields where they are not too common (a word's title
        # postings are usually far shorter than its body postings); at least the rarest one.
        rarest = {}
        for (_, word), count in frequencies.items():
            rarest[word] = min(count, rarest.get(word, count))
        words = set(sorted(rarest, key=rarest.get)[:WORDS_KEPT_WHEN_ALL_FREQUENT])
        ceiling = ALL_FREQUENT_CEILING * threshold
        kept = {key for key, count in frequencies.items() if key[1] in words and count <= ceiling}
        kept = kept or {min(frequencies, key=frequencies.get)}
        frequent = set(frequencies) - kept

    def rare_part(node):
        """The node without its frequent words, or None when nothing else is left."""
        if isinstance(node, whoosh_query.Term):
            return None if (node.fieldname, node.text) in frequent else node
        if isinstance(node, whoosh_query.Or):
            kept = [child for child in map(rare_part, node.subqueries) if child is not None]
            if not kept:
                return None
            if len(kept) == 1:
                return kept[0]
            rebuilt = copy.copy(node)  # keeps boost, minmatch and the coordination scale
            rebuilt.subqueries = kept
            return rebuilt
        return node  # prefixes, phrases, AND/NOT groups: left as they are

    rare = rare_part(query)
    if rare is None:
        return query, []
    left_out = {}
    ceiling = RESCORED_WORD_SHARE * documents
    for leaf in _query_leaves(query):
        key = (leaf.fieldname, leaf.text)
        if key in frequent and frequencies[key] <= ceiling:
            left_out.setdefault(key, leaf)
    return rare, list(left_out.values())


def rescore(searcher, scores: dict, left_out) -> dict:
    """Add to each candidate's score what the left-out words give it.

    An OR query scores a document as the sum of its words' scores, so for the candidates the
    rarer words found, stepping each left-out word's postings to just those documents (only
    their scores are computed) gives the score the whole query would have, less the words too
    common to re-score (over RESCORED_WORD_SHARE of the documents).
    """
    documents = sorted(scores)
    context = searcher.context()
    for leaf in left_out:
        matcher = leaf.matcher(searcher, context)
        for docnum in documents:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                scores[docnum] += matcher.score()
    return scores


class MultilingualWhooshSearchQuery(WhooshSearchQuery):
    """haystack's Whoosh query, plus how far the engine should count matches.

    ``typeahead``: the caller shows a few best results and no count (suggestions), so the
    engine neither counts nor re-scores (see MultilingualWhooshSearchBackend.search).
    """

    typeahead = False

    def build_params(self, spelling_query=None):
        params = super().build_params(spelling_query=spelling_query)
        params["typeahead"] = self.typeahead
        return params

    def _clone(self, klass=None, using=None):
        clone = super()._clone(klass=klass, using=using)
        clone.typeahead = self.typeahead
        return clone


class _LoadedLengthsReader(whoosh3.W3PerDocReader):
    """A new segment's per-document reader whose field lengths are read once, whole.

    Writing a segment's postings asks for the length of the field of every posting, one at a
    time (Whoosh's ``FieldWriter.add_postings``); the stock reader seeks and reads the length
    column on disk for each of them, a fifth of a rebuild's writing time. A column holds one
    byte per document, so reading it whole is cheap.
    """

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._loaded_lengths = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._loaded_lengths.get(fieldname)
        if lengths is None:
            lengths = self._loaded_lengths[fieldname] = self._load_lengths(fieldname)
        if lengths is None:
            return default
        # The stock reader's answer for a stored byte: the length it encodes, None for 0.
        lbyte = lengths[docnum]
        return byte_to_length(lbyte) if lbyte else None

    def _load_lengths(self, fieldname):
        column = whoosh3._lenfield(fieldname)
        if not self.has_column(column):
            return None
        return bytes(self.column_reader(column, whoosh3.LENGTHS_COLUMN).load())


class _WritingCodec(whoosh3.W3Codec):
    """Whoosh's codec, writing segments with :class:`_LoadedLengthsReader`. The segments it makes
    name the stock codec, so an index written with it reads as any Whoosh 3 index does."""

    def per_document_reader(self, storage, segment):
        return _LoadedLengthsReader(storage, segment)

    def new_segment(self, storage, indexname):
        return whoosh3.W3Segment(whoosh3.W3Codec(), indexname)


class _Write:
    """One open writer: documents replace those with the same id, then one commit.

    Takes no lock itself: the caller holds the backend's write lock from start to commit.
    """

    def __init__(self, backend, *, parallel: bool):
        backend.refuse_outdated_index()
        self.index = backend.index
        self.parallel = parallel and _parallel_allowed and writer_processes() > 1
        if self.parallel:
            self.writer = self.index.writer(
                procs=writer_processes(),
                multisegment=True,
                batchsize=PARALLEL_BATCH,
                timeout=60,
                limitmb=backend.writer_memory_mb,
                codec=_WritingCodec(),
            )
        else:
            self.writer = self.index.writer(timeout=60, codec=_WritingCodec())
        self.before = self.index.doc_count()
        self.added = self.deleted = 0
        self.closed = False
        # One searcher finds every document to replace (Whoosh's update_document opens one per
        # document, reading every segment each time).
        self.searcher = self.writer.searcher() if self.before else None

    def add(self, documents) -> None:
        try:
            for document in documents:
                if self.searcher is not None:
                    self.deleted += self.writer.delete_by_term("id", document["id"], searcher=self.searcher)
                self.writer.add_document(**document)
                self.added += 1
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._close_searcher()
        self.writer.cancel()

    def commit(self) -> None:
        self.closed = True
        self._close_searcher()
        if not self.added:
            self.writer.cancel()
            return
        try:
            self.writer.commit()
        except BaseException:
            self._abandon_writer()
            raise
        if self.parallel and self.index.doc_count() != self.before - self.deleted + self.added:
            # A worker process that died takes its segment with it, without an error here.
            raise RuntimeError(
                f"A parallel index write lost documents ({self.added} written): run `manage.py rebuild_index`."
            )

    def _abandon_writer(self) -> None:
        """Release Whoosh's writer lock after a commit failed part-way (no space left on device).

        Whoosh releases it only at the end of a commit or a cancel, so without this every later
        write of the process failed with LockError, even once space was back.
        """
        try:
            self.writer.cancel()
        except Exception:
            lock = getattr(self.writer, "writelock", None)
            if lock is not None:
                try:
                    lock.release()
                except Exception:
                    logger.exception("Could not release the search index's writer lock")

    def _close_searcher(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None


class _Batch:
    """The open write of :meth:`MultilingualWhooshSearchBackend.batched_writes`."""

    def __init__(self, size: int):
        self.size = size
        self.write = None
        self.lock = None
        self.failed = False

    def add(self, backend, documents, bulk: bool) -> None:
        if self.failed:
            raise RuntimeError("An earlier write of this batch failed and was cancelled: run the command again.")
        try:
            if self.write is None:
                self.lock = backend.write_lock()
                self.lock.__enter__()
                # Whether the writer forks is decided by the batch's first write (a rebuild's are bulk).
                self.write = _Write(backend, parallel=bulk)
            self.write.add(documents)
        except BaseException:
            self.cancel()
            raise
        if self.write.added >= self.size:
            self.commit()

    def commit(self) -> None:
        if self.write is None:
            return
        try:
            self.write.commit()
        except BaseException:
            self.failed = True
            raise
        finally:
            self._release()

    def cancel(self) -> None:
        self.failed = True
        try:
            if self.write is not None:
                self.write.cancel()
        finally:
            self._release()

    def _release(self) -> None:
        self.write = None
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.__exit__(None, None, None)


class MultilingualWhooshSearchBackend(WhooshSearchBackend):
    #: The open :meth:`batched_writes` block, if any.
    _batch = None

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.writer_memory_mb = int(connection_options.get("WRITER_MEMORY_MB", WRITER_MEMORY_MB))
        self.commit_size = int(connection_options.get("COMMIT_SIZE", COMMIT_SIZE))

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        # haystack asks Whoosh for spelling words of the body field, a second unstemmed copy of
        # every document's words (restricted ones too); suggestions use SPELLING_FIELD instead.
        content_field = schema[content_field_name]
        schema.remove(content_field_name)
        content_field.spelling = False
        schema.add(content_field_name, content_field)
        for field in fields.values():
            if field.indexed is False and not field.is_multivalued:
                schema.remove(field.index_fieldname)
                schema.add(field.index_fieldname, STORED())
        for name, field in list(schema.items()):
            if name.endswith(COLUMN_FIELD_SUFFIX):
                # Facet values are whole strings ("Color management"), not analysed words.
                schema.remove(name)
                schema.add(name, ID(stored=True, sortable=True))
            elif isinstance(field, TEXT):
                field.column_type = None
                if name in WORD_ONLY_FIELDS:
                    field.format = formats.Frequency(field_boost=field.format.field_boost)
        return content_field_name, schema

    def index_exists(self) -> bool:
        if not os.path.isdir(self.path):
            return False
        # Whoosh's exists_in opens the latest table of contents, which a commit in another
        # thread or process may replace and delete in between (FileNotFoundError: a forum reply
        # written under load went unindexed). By then the next one is in place: ask again.
        for attempt in range(3):
            try:
                return whoosh_index.exists_in(self.path)
            except FileNotFoundError:
                if attempt == 2:
                    raise
        return False

    def index_is_current(self) -> bool:
        """Whether the index exists and was built with this code's schema."""
        if not self.index_exists():
            return False
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        return self._stored_schema_matches(self.build_schema(fields)[1])

    def _stored_schema_matches(self, schema) -> bool:
        try:
            stored = whoosh_index.open_dir(self.path).schema
        except (AttributeError, ImportError, pickle.UnpicklingError):
            # The stored schema names code this version does not have (an analyzer class of
            # another version, pickled into the index): built with another schema.
            return False
        return schema_signature(stored) == schema_signature(schema)

    def refuse_outdated_index(self) -> None:
        if self.index_exists() and not self._stored_schema_matches(self.schema):
            raise SearchIndexOutdated(
                f"The search index at {self.path} was built with another schema: run `manage.py rebuild_index`."
            )

    def refuse_missing_index(self) -> None:
        """Raise SearchIndexMissing unless the index exists or may be created now."""
        if _creation_allowed or self.index_exists():
            return
        if _site_has_searchable_content(connections[self.connection_alias].get_unified_index()):
            raise SearchIndexMissing(f"The search index at {self.path} is missing: run `manage.py rebuild_index`.")

    def refuse_empty_index(self, searcher) -> None:
        """Raise SearchIndexMissing if the index holds nothing while the site has content."""
        if not searcher.doc_count() and _site_has_searchable_content(
            connections[self.connection_alias].get_unified_index()
        ):
            raise SearchIndexMissing(
                "The search index is empty but the site has content: run `manage.py rebuild_index`."
            )

    def setup(self):
        with _shared_indexes_lock:
            shared = _shared_indexes.get(self.path)
        if shared is not None and self.index_exists():
            self.index, self.schema, self.content_field_name, self.parser = shared
            self.setup_complete = True
            return
        self.refuse_missing_index()
        super().setup()
        if not _creation_allowed and not self._stored_schema_matches(self.schema):
            # An operator's command may go on: it is about to clear the index and build it anew.
            self.setup_complete = False
            self.refuse_outdated_index()
        # Terms joined without an operator match any of them (BM25 ranks documents that match
        # more of them higher): customers type whole sentences, and requiring every word would
        # find nothing. No coordination bonus (OrGroup.factory): it made scoring 3x slower for
        # the same hit@5 and MRR on the COVID-QA set (BENCHMARKS.md).
        self.parser = QueryParser(self.content_field_name, schema=self.schema, group=OrGroup)
        if not isinstance(self.index, _SharedIndex):
            self.index = _SharedIndex(self.index)
        with _shared_indexes_lock:
            _shared_indexes[self.path] = (self.index, self.schema, self.content_field_name, self.parser)

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        facets=None,
        narrow_queries=None,
        result_class=None,
        typeahead=False,
        **kwargs,
    ):
        """Ranked results for the service's queries, planned for a pure-Python engine.

        The scored query is only the words; narrowing (audiences, language, facet filters) is a
        document set cached until the index changes; frequent words are left out when rarer
        ones are present, and then (except for a ``typeahead``) score the best candidates the
        rarer words found; matches are counted up to COUNT_LIMIT (COUNT_LIMIT + 1 means
        "more"; a typeahead is not counted); facets are counted over those same matches.
        Anything this path does not plan for (sorting, date facets, model lists, spelling,
        highlighting) goes to haystack's own.
        """
        unplanned = {key for key, value in kwargs.items() if value}
        if sort_by or unplanned - {"fields"}:
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                facets=facets,
                narrow_queries=narrow_queries,
                result_class=result_class,
                **kwargs,
            )
        if not self.setup_complete:
            self.setup()
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        query_string = str(query_string)
        if len(query_string) <= 1 and query_string != "*":
            return empty
        with self.index.searcher_in_use() as searcher:
            return self._planned_search(
                searcher, query_string, start_offset, end_offset, facets, narrow_queries, result_class, typeahead
            )

    def _planned_search(
        self, searcher, query_string, start_offset, end_offset, facets, narrow_queries, result_class, typeahead
    ):
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        if not searcher.doc_count():
            self.refuse_empty_index(searcher)
            return empty
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is whoosh_query.NullQuery:
            return empty
        parsed, left_out = without_frequent_terms(parsed, searcher)
        allowed = self.index.allowed_documents(searcher, narrow_queries or (), self.parser.parse)
        if allowed is not None and not allowed:
            return empty

        start = max(0, start_offset or 0)
        end = end_offset if end_offset is not None else start + 20
        if end <= start:
            return empty
        # With words left out, the rarer words pick candidates and the left-out words then
        # score those candidates, so the order is the whole query's (for the candidates).
        if typeahead:
            left_out = []  # suggestions answer while the customer types: speed over the last bit of order
        candidates = max(end, RESCORED_CANDIDATES) if left_out else end
        top = searcher.search(parsed, limit=candidates, filter=allowed, terms=False)
        ranked = [(docnum, score) for score, docnum in top.top_n]
        if left_out:
            scores = rescore(searcher, dict(ranked), left_out)
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        else:
            ranked.sort(key=lambda item: (-item[1], item[0]))
        hits = [(searcher.stored_fields(docnum), score) for docnum, score in ranked[start:end]]
        hits = [(fields, score) for fields, score in hits if _known_type(fields)]
        if top.scored_length() < candidates:
            # The top-N collector saw every match (it only skips once it holds N documents).
            total, counted = top.scored_length(), None if not facets else [docnum for docnum, _score in ranked]
        elif typeahead and not facets:
            total, counted = top.scored_length(), None
        else:
            limit = COUNT_LIMIT
            matches = (docnum for docnum in searcher.docs_for_query(parsed) if allowed is None or docnum in allowed)
            counted = list(islice(matches, limit + 1))
            total = len(counted)
        groups = {}
        for name in facets or ():
            values = searcher.reader().column_reader(name, translate=True)
            groups[name] = Counter(values[docnum] for docnum in counted or ())
        return self._process_results(
            _Page(hits, total, groups),
            result_class=result_class,
            facet_types=dict.fromkeys(facets or (), "fields"),
        )

    def create_spelling_suggestion(self, query_string):
        """Did you mean: each word's closest word that a live public document contains.

        Suggestions never come from restricted content: they are drawn from the ``spelling``
        field, which only public documents fill. An index built before that field existed
        suggests nothing until it is rebuilt (failing closed).
        """
        if not self.setup_complete:
            self.setup()
        if SPELLING_FIELD not in self.schema.names():
            return ""
        suggested = []
        with self.index.searcher_in_use() as searcher:
            corrector = searcher.reader().corrector(SPELLING_FIELD)
            for word in str(query_string).split():
                for candidate in corrector.suggest(word, limit=SPELLING_CANDIDATES):
                    if (
                        next(iter(searcher.docs_for_query(whoosh_query.Term(SPELLING_FIELD, candidate))), None)
                        is not None
                    ):
                        suggested.append(candidate)
                        break
        return " ".join(suggested)

    @contextmanager
    def write_lock(self):
        with _process_lock:
            # A write to an index that has disappeared would start a new one holding only itself.
            self.refuse_missing_index()
            os.makedirs(self.path, exist_ok=True)
            with open(os.path.join(self.path, ".write-lock"), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def update(self, index, iterable, commit=True):
        """Index these objects in one commit, replacing their earlier documents.

        A write of BULK_WRITE_MIN documents or more prepares them as the writer goes (so with
        :func:`parallel_writes`, the worker processes analyse one batch while this one prepares
        the next), and the index's ``preload(objects)``, where it has one, reads what preparing
        needs for all of them at once. Within :meth:`batched_writes` the documents join that
        block's open writer instead, and the commit waits for the batch to fill.
        """
        if not self.setup_complete:
            self.setup()
        objects = list(iterable)
        if not objects:
            return
        bulk = len(objects) >= BULK_WRITE_MIN
        if hasattr(index, "preload"):
            index.preload(objects)
        documents = self._documents(index, objects)
        if self._batch is not None:
            self._batch.add(self, documents, bulk)
            return
        if not bulk:
            documents = list(documents)  # prepared before the lock is taken: a publish holds it briefly
            if not documents:
                return
        with self.write_lock():
            write = _Write(self, parallel=bulk)
            write.add(documents)
            write.commit()

    @contextmanager
    def batched_writes(self, batch_size: int):
        """Within this block, :meth:`update` calls share one writer, committed every ``batch_size``
        documents and at the end: one commit per batch of the command, whatever model each
        document is of (``update_index``, so ``rebuild_index``: articles and topics land in the
        index together, and a rebuild that fits one batch is never seen half-written).

        The write lock is held from a batch's first document to its commit. A failed write
        cancels the batch and fails the rest of the block (its earlier documents are gone with
        it): run the command again.
        """
        batch = self._batch = _Batch(batch_size)
        try:
            yield
            batch.commit()
        except BaseException:
            batch.cancel()
            raise
        finally:
            self._batch = None

    def _documents(self, index, objects):
        for obj in objects:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)
            yield {key: self._from_python(value) for key, value in document.items()}

    def segment_count(self) -> int:
        """How many segments the index on disk has now (each search reads every one)."""
        with self.index.reader() as reader:
            return len(reader.leaf_readers())

    def optimize(self) -> tuple[int, int]:
        """Merge every segment into one; returns the segment counts before and after."""
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            before = self.segment_count()
            writer = self.index.writer(timeout=60)
            writer.commit(optimize=True)
            after = self.segment_count()
        return before, after

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        """Remove documents by identifier ("app.model.pk") in one write."""
        if not self.setup_complete:
            self.setup()
        with self.write_lock():
            self.refuse_outdated_index()
            writer = self.index.writer(timeout=60)
            with writer.searcher() as searcher:
                for identifier in identifiers:
                    writer.delete_by_term("id", identifier, searcher=searcher)
            writer.commit()

    def delete_index(self):
        # Threads still holding the old shared index must not reuse searchers of deleted files.
        with _shared_indexes_lock:
            shared = _shared_indexes.pop(self.path, None)
        if shared is not None:
            shared[0].reset()
        with index_creation_allowed():  # clearing is an operator's rebuild: it starts a new index
            super().delete_index()

    def clear(self, models=None, commit=True):
        with index_creation_allowed(), self.write_lock():
            super().clear(models=models, commit=commit)
            if isinstance(self.index, _SharedIndex):
                self.index.reset()


class MultilingualWhooshEngine(WhooshEngine):
    backend = MultilingualWhooshSearchBackend
    query = MultilingualWhooshSearchQuery
