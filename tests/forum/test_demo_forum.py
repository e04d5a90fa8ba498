"""load_demo builds the demo forum (categories, a restricted one, the coffee dump, native topics)
and a second run changes nothing."""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from forum.models import Category, Post, Topic
from forum.permissions import visible_categories

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def small_corpora(settings, tmp_path):
    shutil.copytree(FIXTURES / "articles", tmp_path / "gnome-help")
    (tmp_path / "coffee-stackexchange").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "Posts.xml", tmp_path / "coffee-stackexchange" / "Posts.xml")
    settings.CORPORA_DIR = tmp_path
    return tmp_path


def load_demo() -> str:
    stdout = io.StringIO()
    call_command("load_demo", "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def forum_state():
    return {
        "categories": list(Category.objects.order_by("pk").values_list("pk", "slug", "name")),
        "topics": list(Topic.objects.order_by("pk").values_list("pk", "title", "post_count", "accepted_answer_id")),
        "posts": list(Post.objects.order_by("pk").values_list("pk", "topic_id", "position", "body_html")),
    }


def test_the_demo_forum_loads_once_and_a_second_run_changes_nothing(db, small_corpora):
    first = load_demo()
    state = forum_state()
    second = load_demo()
    assert "Forum demo: 3 demo topics added; coffee.stackexchange.com: 2 topics and 3 answers created" in first
    assert "Forum demo: 0 demo topics added" in second and "5 unchanged" in second
    assert forum_state() == state


def test_the_demo_has_a_restricted_category_for_moderators_only(db, small_corpora):
    load_demo()
    public = set(visible_categories(AnonymousUser()).values_list("slug", flat=True))
    assert public == {"getting-started", "coffee"}
    assert Category.objects.get(slug="moderators-lounge").restricted_to.filter(name="Community moderators").exists()


def test_the_demo_question_has_an_accepted_answer(db, small_corpora):
    load_demo()
    topic = Topic.objects.get(source="demo", source_id="first-question")
    assert topic.accepted_answer.author.email == "moderator@example.com"
