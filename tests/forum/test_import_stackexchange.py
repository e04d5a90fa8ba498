"""manage.py import_stackexchange: a Stack Exchange dump becomes topics and answers, with scores,
tags, dates, accepted answers and attribution; a second run changes nothing."""

import io
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from forum.importing import StackExchangeImporter
from forum.management.commands.import_stackexchange import Command
from forum.models import Category, Post, Topic
from kb.search.service import search
from tests.factories.forum import make_category
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "Posts.xml"
COFFEE = settings.CORPORA_DIR / "coffee-stackexchange" / "Posts.xml"
README = Path(settings.BASE_DIR) / "README.md"


def run_import(path=FIXTURE, category="coffee", **options) -> str:
    out = io.StringIO()
    call_command("import_stackexchange", str(path), category=category, no_progress=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def coffee():
    category = make_category("Coffee")
    category.slug = "coffee"
    category.save()
    return category


def test_questions_become_topics_and_answers_their_replies(coffee):
    output = run_import(site="coffee.stackexchange.com")
    assert "2 topics and 3 answers created" in output and "2 skipped" in output
    topic = Topic.objects.get(source_id="1")
    assert topic.title == "How should I store whole bean coffee?"
    assert topic.source == "stackexchange:coffee.stackexchange.com"
    assert (topic.category, topic.view_count, topic.post_count) == (coffee, 130, 3)
    assert [(post.position, post.score) for post in topic.posts.order_by("position")] == [(1, 20), (2, 3), (3, 12)]
    assert topic.accepted_answer == Post.objects.get(source_id="3")
    assert sorted(topic.tags.values_list("name", flat=True)) == ["storage", "whole-bean"]
    assert str(topic.created_at) == "2015-01-27 20:09:32.720000+00:00"


def test_an_answer_listed_before_its_question_still_lands_in_it(coffee):
    run_import()
    topic = Topic.objects.get(source_id="4")
    assert list(topic.posts.values_list("source_id", flat=True)) == ["4", "5"]
    assert sorted(topic.tags.values_list("name", flat=True)) == ["ground-coffee", "pour-over"]


def test_bodies_are_sanitized_and_foreign_images_become_links(coffee):
    run_import()
    question = Post.objects.get(source_id="1")
    assert "<script" not in question.body_html and "onerror" not in question.body_html
    assert "<img" not in question.body_html
    assert 'href="http://i.stack.imgur.com/x.jpg"' in question.body_html and "[my jar]" in question.body_html
    assert "javascript" not in Post.objects.get(source_id="3").body_html
    assert question.body_markdown.startswith("How should I store whole beans?")


def test_authors_are_kept_by_name_for_attribution(coffee):
    run_import()
    assert Post.objects.get(source_id="2").source_author == "Stack Exchange user 7"
    assert Post.objects.get(source_id="3").source_author == "Former Barista"
    placeholder = Post.objects.get(source_id="2").author
    assert not placeholder.is_active and not placeholder.has_usable_password()


def test_a_second_import_changes_nothing(coffee):
    run_import()
    before = list(Post.objects.order_by("pk").values_list("pk", "topic_id", "position", "body_html", "score"))
    output = run_import()
    assert "0 topics and 0 answers created, 0 updated, 5 unchanged" in output
    assert list(Post.objects.order_by("pk").values_list("pk", "topic_id", "position", "body_html", "score")) == before


def test_a_later_dump_updates_scores_and_adds_new_answers(coffee, tmp_path):
    run_import()
    later = (
        FIXTURE.read_text()
        .replace('Score="3"', 'Score="30"')
        .replace(
            "</posts>",
            '<row Id="8" PostTypeId="2" ParentId="1" CreationDate="2016-01-01T00:00:00.000" Score="0"'
            ' Body="&lt;p&gt;Late answer&lt;/p&gt;" OwnerUserId="11" />\n</posts>',
        )
    )
    (tmp_path / "Posts.xml").write_text(later)
    # Another folder, so the site is named explicitly: the same source, matched by id.
    run_import(tmp_path / "Posts.xml", site="fixtures")
    assert Post.objects.get(source_id="2").score == 30
    assert Post.objects.get(source_id="8").position == 4


def test_imported_topics_are_searchable(coffee):
    run_import()
    assert [hit.title for hit in search(reader(), "airtight jar", language="en").hits] == [
        "How should I store whole bean coffee?"
    ]


def test_an_unknown_category_or_a_broken_file_is_a_clear_error(coffee, tmp_path):
    with pytest.raises(CommandError, match="No forum category"):
        run_import(category="nope")
    broken = tmp_path / "Posts.xml"
    broken.write_text("<posts><row Id='1'")
    with pytest.raises(CommandError, match="Not a readable"):
        run_import(broken)


def test_an_unknown_category_without_a_name_is_an_error_that_names_the_option(coffee):
    with pytest.raises(CommandError, match="No forum category with the slug 'beer': create it with --category-name"):
        run_import(category="beer")

    assert not Category.objects.filter(slug="beer").exists()


def test_a_category_name_creates_a_missing_category_listed_last_and_imports_into_it(coffee):
    output = run_import(category="beer", category_name="  Beer  ", language="ru")

    beer = Category.objects.get(slug="beer")
    assert (beer.name, beer.language, beer.description) == ("Beer", "ru", "")
    assert not beer.restricted_to.exists()
    assert list(Category.objects.all())[-1] == beer and beer.position > coffee.position
    assert "Created the forum category 'beer'" in output and "2 topics and 3 answers created" in output
    assert set(Topic.objects.values_list("category__slug", "language")) == {("beer", "ru")}


def test_a_category_created_without_a_language_is_open_to_every_language(coffee):
    run_import(category="beer", category_name="Beer")

    assert Category.objects.get(slug="beer").language == ""
    assert set(Topic.objects.values_list("language", flat=True)) == {settings.LANGUAGE_CODE}


def test_a_second_import_with_a_category_name_reuses_the_category(coffee):
    run_import(category="beer", category_name="Beer")
    Category.objects.filter(slug="beer").update(name="Beer and brewing")

    output = run_import(category="beer", category_name="Beer")

    assert "Created" not in output and "0 topics and 0 answers created, 0 updated, 5 unchanged" in output
    assert list(Category.objects.filter(slug__startswith="beer").values_list("name", flat=True)) == ["Beer and brewing"]


@pytest.mark.parametrize(
    ("slug", "name", "message"),
    [
        ("beer", "", "--category-name is empty"),
        ("beer", "   ", "--category-name is empty"),
        ("beer", "B" * 101, "--category-name has 101 characters; at most 100"),
        ("beer", "Be\x00er", "--category-name contains control characters"),
        ("beer", "Beer\nand stout", "--category-name contains control characters"),
        ("beer", "\x9bBeer", "--category-name contains control characters"),
        ("beer", "\u202eBeer", "--category-name contains control characters"),
        ("beer and stout", "Beer", "Cannot create a category with the slug 'beer and stout'"),
        ("b" * 101, "Beer", "The --category slug has 101 characters; at most 100"),
    ],
)
def test_a_bad_category_name_or_slug_is_refused_before_anything_is_written(coffee, slug, name, message):
    categories, users = list(Category.objects.values_list("pk", flat=True)), get_user_model().objects.count()

    with pytest.raises(CommandError, match=re.escape(message)):
        run_import(category=slug, category_name=name)

    assert list(Category.objects.values_list("pk", flat=True)) == categories
    assert (Topic.objects.count(), Post.objects.count(), get_user_model().objects.count()) == (0, 0, users)


def test_a_dump_that_cannot_be_read_creates_no_category(coffee, tmp_path):
    broken = tmp_path / "Posts.xml"
    broken.write_text("<posts><row Id='1'")
    users = get_user_model().objects.count()

    with pytest.raises(CommandError, match="Not a readable"):
        run_import(broken, category="beer", category_name="Beer")

    assert not Category.objects.filter(slug="beer").exists()
    assert get_user_model().objects.count() == users


def test_a_new_category_is_rolled_back_with_the_first_batch_it_was_created_in(coffee, monkeypatch):
    def fail(importer, row):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(StackExchangeImporter, "_question", fail)

    with pytest.raises(RuntimeError):
        run_import(category="beer", category_name="Beer")

    assert not Category.objects.filter(slug="beer").exists()


def test_the_help_and_the_readme_explain_how_to_create_the_category():
    parser = Command().create_parser("manage.py", "import_stackexchange")
    usage = re.search(r"manage\.py import_stackexchange [^`]*`", README.read_text(encoding="utf-8")).group(0)

    assert "--category-name" in usage
    assert all(option in parser.format_help() for option in re.findall(r"--[a-z-]+", usage))


def test_entity_expansion_is_refused(coffee, tmp_path):
    bomb = tmp_path / "Posts.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><posts><row Title="&a;"/></posts>')
    with pytest.raises(CommandError):
        run_import(bomb)


@pytest.mark.skipif(not COFFEE.is_file(), reason="the coffee-stackexchange corpus is not here")
def test_the_whole_coffee_dump_imports_in_under_a_minute_and_again_unchanged(coffee):
    started = time.perf_counter()
    output = run_import(COFFEE)
    elapsed = time.perf_counter() - started
    assert "225 topics and 327 answers created" in output
    assert elapsed < 60
    assert Topic.objects.exclude(accepted_answer=None).count() == 105
    assert "0 topics and 0 answers created, 0 updated, 552 unchanged" in run_import(COFFEE)
