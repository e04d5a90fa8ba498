"""Bulk index writes: many documents in one commit, replaced rather than copied, on every core;
and an index built with another schema is not used until an operator rebuilds it."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections
from wagtail.models import PageViewRestriction
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.fields import ID, TEXT, Schema

from kb.models import ArticlePage, CategoryPage
from kb.search import backend as search_backend
from kb.search.backend import BULK_WRITE_MIN, parallel_writes
from kb.search.indexing import index_pages
from tests.factories.forum import make_topic
from tests.search_helpers import publish_article

pytestmark = pytest.mark.django_db


def write_articles(root: Path, count: int) -> None:
    folder = root / "en"
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"article-{number}.md").write_text(
            f'---\ntitle: "Bulk article {number}"\nlocale: en\ncategory: "bulk"\n---\nWords of article {number}.\n',
            encoding="utf-8",
        )


def indexed_ids() -> list[str]:
    backend = connections["default"].get_backend()
    with backend.index.searcher_in_use() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


def test_a_bulk_write_in_parallel_indexes_every_article_once_and_again_replaces_them(
    help_centers, tmp_path, django_capture_on_commit_callbacks
):
    count = BULK_WRITE_MIN + 20
    write_articles(tmp_path, count)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(tmp_path), "--no-progress", stdout=None)
    ids = sorted(f"kb.articlepage.{pk}" for pk in ArticlePage.objects.values_list("pk", flat=True))
    assert indexed_ids() == ids

    with parallel_writes():
        index_pages(ArticlePage.objects.values_list("pk", flat=True))

    assert indexed_ids() == ids, "written again: each document replaced, none copied"


def test_a_bulk_write_gives_each_article_the_audience_of_its_restricted_category(
    help_centers, tmp_path, django_capture_on_commit_callbacks
):
    write_articles(tmp_path, BULK_WRITE_MIN + 1)
    call_command("import_articles", str(tmp_path), "--no-progress", stdout=None)
    category = CategoryPage.objects.get(slug="bulk")

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=category, restriction_type=PageViewRestriction.LOGIN)

    backend = connections["default"].get_backend()
    with backend.index.searcher_in_use() as searcher:
        audiences = {fields["audience"] for fields in searcher.all_stored_fields()}
    assert len(indexed_ids()) == BULK_WRITE_MIN + 1
    assert audiences == {"login"}


def test_rebuild_index_writes_every_document(help_centers, tmp_path, django_capture_on_commit_callbacks):
    write_articles(tmp_path, BULK_WRITE_MIN + 5)
    call_command("import_articles", str(tmp_path), "--no-progress", stdout=None)

    call_command("rebuild_index", interactive=False, verbosity=0)

    assert len(indexed_ids()) == BULK_WRITE_MIN + 5


def forget_the_open_index():
    """As a server started after an upgrade: nothing of the index on disk is open in memory yet."""
    search_backend._shared_indexes.clear()
    connections["default"].get_backend().setup_complete = False


def test_an_index_built_with_another_schema_is_unavailable_until_rebuilt(
    client, help_centers, django_capture_on_commit_callbacks
):
    publish_article(django_capture_on_commit_callbacks, "Calibrate the colour printer", body="Colour profiles.")
    path = Path(connections["default"].get_backend().path)
    shutil.rmtree(path)
    path.mkdir()
    whoosh_index.create_in(path, Schema(id=ID(stored=True, unique=True), text=TEXT(stored=True)))
    forget_the_open_index()

    health = client.get("/healthz")
    search_page = client.get("/en/search/", {"q": "printer"})

    assert health.status_code == 503 and "another schema" in json.loads(health.content)["search_index"]["error"]
    assert search_page.status_code == 503

    call_command("rebuild_index", interactive=False, verbosity=0)

    assert client.get("/healthz").status_code == 200
    assert "Calibrate the colour printer" in client.get("/en/search/", {"q": "printer"}).content.decode()


def test_rebuild_index_writes_articles_and_forum_topics_in_one_commit(help_centers, tmp_path):
    write_articles(tmp_path, 3)
    call_command("import_articles", str(tmp_path), "--no-progress", stdout=None)
    topic = make_topic("Descaling the machine")

    call_command("rebuild_index", interactive=False, verbosity=0)

    backend = connections["default"].get_backend()
    assert len(indexed_ids()) == 4 and f"forum.topic.{topic.pk}" in indexed_ids()
    assert backend.index.latest_generation() == 1, "the new index's one commit: no article-only state in between"


def test_the_writing_codec_writes_the_same_index_as_whoosh_and_names_the_stock_codec(tmp_path):
    """Writes go through a codec that reads field lengths once per segment: the postings, the
    field lengths and the stored fields must be those Whoosh's own writer makes, and the index
    on disk must not depend on our class."""
    from kb.search.analysis import text_analyzer

    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=text_analyzer(), stored=True))
    documents = [
        {"id": str(number), "body": " ".join(["printer", "paper", "jam"][: 1 + number % 3] * (1 + number % 7))}
        for number in range(300)
    ]
    documents.append({"id": "empty", "body": ""})

    def build(folder, **writer_options):
        folder.mkdir()
        index = whoosh_index.create_in(str(folder), schema)
        with index.writer(**writer_options) as writer:
            for document in documents:
                writer.add_document(**document)
        return whoosh_index.open_dir(str(folder))

    stock = build(tmp_path / "stock").reader()
    ours_index = build(tmp_path / "ours", codec=search_backend._WritingCodec())
    ours = ours_index.reader()
    assert list(ours.all_terms()) == list(stock.all_terms())
    for fieldname, term in stock.all_terms():
        assert list(ours.postings(fieldname, term).all_items()) == list(stock.postings(fieldname, term).all_items())
    for docnum in range(len(documents)):
        assert ours.doc_field_length(docnum, "body") == stock.doc_field_length(docnum, "body")
    assert list(ours.all_stored_fields()) == list(stock.all_stored_fields())
    (segment,) = ours_index._segments()
    assert type(segment.codec()) is whoosh3.W3Codec
    loaded = search_backend._LoadedLengthsReader(ours_index.storage, segment)
    stock_lengths = whoosh3.W3PerDocReader(ours_index.storage, segment)
    for fieldname in ("body", "id", "no-such-field"):
        assert [loaded.doc_field_length(docnum, fieldname) for docnum in range(len(documents))] == [
            stock_lengths.doc_field_length(docnum, fieldname) for docnum in range(len(documents))
        ]
