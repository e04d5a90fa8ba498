"""Forum topics in the unified search and suggestions, with the forum's own permission re-check:
a restricted category, a hidden topic, a deleted post or a topic moved into a restricted category
never shows to someone who cannot open it (anonymous, a logged-in outsider), and does show to a
member of the group."""

import pytest
from django.contrib.auth.models import AnonymousUser
from haystack.query import SearchQuerySet

from forum import services
from forum.models import Post, Topic
from forum.search import index_topics, reindex_topic_after_commit
from kb.search.service import search, suggest
from tests.factories.forum import make_category, make_group, make_member, make_moderator
from tests.search_helpers import reader

pytestmark = pytest.mark.django_db


def found(user, query) -> list[str]:
    return [hit.title for hit in search(reader(user), query, language="en").hits]


def suggested(user, query) -> list[str]:
    return [hit.title for hit in suggest(reader(user), query, language="en")]


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """create_topic with the after-commit index update run as a real commit would."""

    def ask(title, body="Some details.", *, category=None, author=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.create_topic(
                author or make_member(), category=category or make_category(), title=title, body=body, **kwargs
            )

    return ask


@pytest.fixture
def insiders():
    return make_group("Insiders")


def test_a_public_topic_is_found_with_its_type_and_url(ask):
    topic = ask("Descaling the wombat espresso machine")
    hits = search(reader(), "wombat descaling", language="en").hits
    assert [(hit.title, hit.type, hit.url) for hit in hits] == [(topic.title, "forum_topic", topic.get_absolute_url())]


def test_a_topic_is_suggested_while_its_title_is_typed(ask):
    ask("Grinding capybara beans for pour over")
    assert suggested(AnonymousUser(), "capybara gri") == ["Grinding capybara beans for pour over"]


def test_replies_are_searchable(ask, django_capture_on_commit_callbacks):
    topic = ask("Milk for latte art")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(make_member(), topic, "Use cold narwhal milk")
    assert found(None, "narwhal") == ["Milk for latte art"]


def test_a_topic_in_a_restricted_category_shows_only_to_the_group(ask, insiders):
    ask("Quokka roadmap discussion", category=make_category(restricted_to=[insiders]), author=make_member(insiders))
    assert found(AnonymousUser(), "quokka roadmap") == []
    assert suggested(AnonymousUser(), "quokka roadmap") == []
    outsider = make_member()
    assert found(outsider, "quokka roadmap") == []
    assert suggested(outsider, "quokka") == []
    insider = make_member(insiders)
    assert found(insider, "quokka roadmap") == ["Quokka roadmap discussion"]
    assert suggested(insider, "quokka") == ["Quokka roadmap discussion"]


def test_a_hidden_topic_leaves_search_and_suggestions(ask, django_capture_on_commit_callbacks):
    topic = ask("Pangolin spam offer")
    assert found(None, "pangolin") == ["Pangolin spam offer"]
    # What a moderation tool does: hide, then re-index after commit.
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
        reindex_topic_after_commit(topic)
    assert found(make_member(), "pangolin") == []
    assert suggested(make_member(), "pangolin") == []


def test_a_hidden_topic_never_shows_even_before_the_index_catches_up(ask):
    topic = ask("Okapi giveaway scam")
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)  # the index still has it
    assert found(None, "okapi giveaway") == []
    assert found(make_member(), "okapi giveaway") == []
    assert suggested(None, "okapi") == []


def test_a_deleted_posts_words_are_no_longer_found(ask, django_capture_on_commit_callbacks):
    topic = ask("Frothing question")
    with django_capture_on_commit_callbacks(execute=True):
        regretted = services.reply(topic.author, topic, "my axolotl password is hunter2")
    assert found(None, "axolotl") == ["Frothing question"]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(topic.author, regretted)
    assert found(None, "axolotl") == []
    assert suggested(None, "axolotl") == []


def test_a_deleted_topic_leaves_search(ask, django_capture_on_commit_callbacks):
    topic = ask("Tapir kettle temperature")
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(topic.author, topic.posts.get(position=1))
    assert found(make_moderator(), "tapir kettle") == []


def test_a_topic_moved_into_a_restricted_category_disappears_for_outsiders(ask, insiders):
    topic = ask("Lemur budget planning")
    secret = make_category(restricted_to=[insiders])
    # Moved without re-indexing: the database re-check alone must hide it.
    Topic.objects.filter(pk=topic.pk).update(category=secret)
    assert found(None, "lemur budget") == []
    assert found(make_member(), "lemur budget") == []
    assert suggested(make_member(), "lemur") == []
    assert found(make_member(insiders), "lemur budget") == ["Lemur budget planning"]
    # Re-indexed (as a move tool does after commit): the index now narrows it to the group too.
    index_topics([topic.pk])
    assert found(make_member(), "lemur budget") == []
    assert found(make_member(insiders), "lemur budget") == ["Lemur budget planning"]


def test_a_category_restricted_later_hides_its_topics(ask, insiders):
    category = make_category()
    ask("Marmot migration notes", category=category)
    category.restricted_to.add(insiders)
    assert found(None, "marmot") == []
    assert found(make_member(insiders), "marmot") == ["Marmot migration notes"]


def test_the_similar_topics_endpoint_follows_the_same_rules(ask, client, insiders):
    ask("Ibex grinder calibration", category=make_category(restricted_to=[insiders]), author=make_member(insiders))
    ask("Ibex kettle calibration")
    client.force_login(make_member())
    html = client.get("/en/forum/similar/", {"q": "ibex calibration"}).content.decode()
    assert "Ibex kettle calibration" in html and "Ibex grinder calibration" not in html


def test_a_topic_whose_opening_post_waits_for_approval_is_not_indexed(ask):
    topic = ask("Wallaby launch rumours")
    Post.objects.filter(topic=topic, position=1).update(is_approved=False)
    index_topics([topic.pk])
    assert SearchQuerySet().filter(content_type="forum_topic").count() == 0
