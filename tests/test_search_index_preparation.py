"""Preparing documents in bulk (as rebuild_index does) gives the documents one at a time would,
in a constant number of queries per batch; the one-pass analysis gives the analyzer chain's tokens."""

import pytest
from django.contrib.auth.models import Group
from haystack import connections
from wagtail.models import PageViewRestriction
from whoosh.analysis import CompositeAnalyzer

from forum.models import Post, Topic
from forum.search_indexes import MAX_INDEXED_POSTS
from kb.models import ArticlePage, CategoryPage
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from tests.factories import make_article
from tests.factories.forum import make_category, make_topic

pytestmark = pytest.mark.django_db


def index_of(model):
    return connections["default"].get_unified_index().get_index(model)


def prepare_batch(index, objects) -> list[dict]:
    """What kb.search.backend does with a batch: preload once, then prepare each object."""
    if hasattr(index, "preload"):
        index.preload(objects)
    return [index.full_prepare(obj) for obj in objects]


def prepare_one_by_one(index, objects) -> list[dict]:
    """Each object as a fresh row, prepared alone (no preload): the per-object path."""
    return [index.full_prepare(index.index_queryset().get(pk=obj.pk)) for obj in objects]


def some_articles(help_centers) -> list[ArticlePage]:
    make_article("Pair a headset", body="Bluetooth <b>pairing</b> &amp; sound.", summary="Headsets.")
    make_article("Набор текста", locale="ru", category="text", category_title="Текст", body="Клавиатура.")
    make_article("چاپگر", locale="fa", category="printing", category_title="چاپ", body="چاپگر كار نمي‌كند")
    private = make_article("Members only", category="private", category_title="Private", body="Secret words.")
    category = CategoryPage.objects.get(pk=private.get_parent().pk)
    restriction = PageViewRestriction.objects.create(page=category, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Council"))
    return list(index_of(ArticlePage).index_queryset().order_by("pk"))


def some_topics() -> list[Topic]:
    council = make_category("Council", restricted_to=[Group.objects.create(name="Private circle")])
    make_topic("Grinder settings", body="Fine <em>grind</em> &amp; espresso", posts=3)
    make_topic("Roasting", category=council, posts=2, language="ru")
    long_one = make_topic("A long thread", posts=MAX_INDEXED_POSTS + 5)
    accepted = Post.objects.get(topic=long_one, position=MAX_INDEXED_POSTS + 3)
    Topic.objects.filter(pk=long_one.pk).update(accepted_answer=accepted)
    Post.objects.filter(topic=long_one, position=2).update(is_hidden=True)
    return list(index_of(Topic).index_queryset().order_by("pk"))


def test_a_batch_of_articles_is_prepared_as_each_article_alone(help_centers):
    articles = some_articles(help_centers)

    in_bulk = prepare_batch(index_of(ArticlePage), articles)

    assert in_bulk == prepare_one_by_one(index_of(ArticlePage), articles)
    assert {tuple(document["audience"]) for document in in_bulk} >= {("public",)}
    assert any(document["audience"] != ["public"] for document in in_bulk), "the restricted one is there"


def test_a_batch_of_topics_is_prepared_as_each_topic_alone_with_its_first_posts_and_accepted_answer():
    topics = some_topics()

    in_bulk = prepare_batch(index_of(Topic), topics)

    assert in_bulk == prepare_one_by_one(index_of(Topic), topics)
    long_one = next(document for document in in_bulk if document["title"] == "A long thread")
    assert f"({MAX_INDEXED_POSTS + 3})" in long_one["text"], "the accepted answer beyond the first posts"
    assert "(2)" not in long_one["text"], "a hidden post is left out"


@pytest.mark.parametrize("size", [2, 12])
def test_preparing_a_batch_of_topics_runs_the_same_few_queries_whatever_its_size(size, django_assert_max_num_queries):
    for number in range(size):
        make_topic(f"Topic {number}", posts=3)
    index = index_of(Topic)
    topics = list(index.index_queryset())

    with django_assert_max_num_queries(3):
        prepare_batch(index, topics)


@pytest.mark.parametrize("size", [2, 12])
def test_preparing_a_batch_of_articles_runs_the_same_few_queries_whatever_its_size(
    size, help_centers, django_assert_max_num_queries
):
    for number in range(size):
        make_article(f"Article {number}")
    index = index_of(ArticlePage)
    articles = list(index.index_queryset())

    with django_assert_max_num_queries(4):
        prepare_batch(index, articles)


TEXTS = [
    "How do I pair a Bluetooth headset? The headset is not found.",
    "Wi-Fi and e-mail: don't-care re-connect ‐ hyphen‐ated, the-the",
    "Клиенты не видят клиентов; что делать с принтером?",
    "چاپگر كار نمي‌كند و ۱۲۳ صفحه را چاپ نمی کند",
    "שָׁלוֹם של עולם את הספר",
    "a an the of",
    "",
]


@pytest.mark.parametrize("make_analyzer", [text_analyzer, title_analyzer])
@pytest.mark.parametrize("text", TEXTS)
def test_the_one_pass_analysis_gives_the_tokens_of_the_analyzer_chain(make_analyzer, text):
    analyzer = make_analyzer()
    chain = CompositeAnalyzer(*analyzer.items)  # the same tokenizer and filters, run one after another

    def tokens(run, **options):
        return [(token.text, token.pos) for token in run(text, positions=True, mode="index", **options)]

    assert tokens(analyzer) == tokens(chain)
    assert tokens(analyzer, start_pos=7) == tokens(chain, start_pos=7)
    query = [token.text for token in analyzer(text, mode="query")]
    assert query == [token.text for token in chain(text, mode="query")]


@pytest.mark.parametrize("text", TEXTS)
def test_the_tokenizer_splits_words_the_same_with_and_without_character_offsets(text):
    tokenizer = words_analyzer()

    def tokens(**options):
        return [(token.text, token.pos) for token in tokenizer(text, positions=True, **options)]

    assert tokens() == tokens(chars=True)


def test_fields_only_asked_which_documents_hold_a_word_keep_no_positions_and_still_answer(
    help_centers, django_capture_on_commit_callbacks
):
    """Spelling suggestions and the half-typed title word need word counts, not positions."""
    from kb.search.backend import WORD_ONLY_FIELDS
    from kb.search.service import suggest
    from sitewide.reader import Reader

    with django_capture_on_commit_callbacks(execute=True):
        make_article("Connect a projector", body="Projectors need a cable.")
    backend = connections["default"].get_backend()
    schema = backend.index.schema

    assert {name: schema[name].format.supports("positions") for name in WORD_ONLY_FIELDS} == {
        "spelling": False,
        "title_words": False,
    }
    assert schema["text"].format.supports("positions") and schema["title"].format.supports("positions")
    assert backend.create_spelling_suggestion("projecter") == "projector"
    assert [hit.title for hit in suggest(Reader.anonymous("en"), "conn", language="en")] == ["Connect a projector"]
