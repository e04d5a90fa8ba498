"""The demo forum with first posts held for approval (as `make run` has them): the demo
moderator approves the demo members' topics, so every demo topic is public and the log says so."""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from forum.models import ModerationAction, Post, Topic
from forum.permissions import visible_topics

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def small_corpora(settings, tmp_path):
    shutil.copytree(FIXTURES / "articles", tmp_path / "gnome-help")
    (tmp_path / "coffee-stackexchange").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "Posts.xml", tmp_path / "coffee-stackexchange" / "Posts.xml")
    settings.CORPORA_DIR = tmp_path
    return tmp_path


def test_the_demo_members_topic_is_approved_by_the_demo_moderator(db, small_corpora, settings):
    settings.FORUM_HOLD_FIRST_POSTS = 2
    call_command("load_demo", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    question = Topic.objects.get(source="demo", source_id="first-question")
    assert not Post.objects.filter(is_approved=False).exists()
    assert visible_topics(AnonymousUser()).filter(pk=question.pk).exists()
    approval = ModerationAction.objects.get(action=ModerationAction.Action.APPROVE_POST)
    assert (approval.moderator.email, approval.topic) == ("moderator@example.com", question)
