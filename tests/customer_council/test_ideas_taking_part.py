"""Posting, voting, following and commenting on council ideas (customer_council.services.ideas)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from customer_council.models import Idea, IdeaComment, IdeaFollow, IdeaStatus, IdeaStatusChange, IdeaVote, Membership
from customer_council.services import ideas
from sitewide.errors import ActionRefused
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db


def post(author, title="Dark mode for the dashboard", **fields):
    fields.setdefault("problem", "Bright screens at night hurt.")
    return ideas.post_idea(author, title, **fields)


def fresh(idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def test_a_new_idea_starts_in_the_default_status_with_its_author_voting_and_following():
    author = make_council_member()

    idea = post(author, body="**Please**", tags=["UI", "ui", " night "])

    idea = fresh(idea)
    assert idea.status == IdeaStatus.objects.get(is_default=True)
    assert (idea.vote_count, idea.follower_count) == (1, 1)
    assert IdeaVote.objects.filter(idea=idea, user=author).exists()
    assert IdeaFollow.objects.filter(idea=idea, user=author).exists()
    assert idea.tags == ["UI", "night"]
    assert idea.body_html == "<p><strong>Please</strong></p>"
    assert IdeaStatusChange.objects.filter(idea=idea, previous=None).count() == 1


def test_the_body_goes_through_the_forums_sanitising_pipeline_and_titles_lose_control_characters():
    author = make_council_member()

    idea = post(
        author,
        title="Safe\u202e title\x07",
        body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )

    idea = fresh(idea)
    assert idea.title == "Safe title"
    assert "<script" not in idea.body_html and "javascript:" not in idea.body_html and "<img" not in idea.body_html
    assert "&lt;script&gt;" in idea.body_html


@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 151},
        {"title": "nul\x00title"},
        {"problem": ""},
        {"problem": "p" * 2001},
        {"body": "b" * 20001},
        {"body": "nul \x00"},
        {"body": ">" * 50 + " deep"},
        {"tags": ["t" * 41]},
        {"tags": [f"tag{n}" for n in range(9)]},
    ],
)
def test_hostile_or_huge_input_is_refused_and_writes_nothing(fields):
    author = make_council_member()
    fields = {"title": "A fine title", "problem": "A problem", **fields}

    with pytest.raises(ActionRefused) as refusal:
        ideas.post_idea(author, **fields)

    assert refusal.value.status == 400 and refusal.value.message
    assert not Idea.objects.exists() and not IdeaVote.objects.exists()


def test_the_same_title_twice_within_a_minute_by_the_same_author_is_refused():
    author, other = make_council_member(), make_council_member()
    post(author, title="Export to CSV")

    with pytest.raises(ActionRefused) as refusal:
        post(author, title="export to csv")
    post(other, title="Export to CSV")

    assert refusal.value.status == 409
    assert Idea.objects.filter(author=author).count() == 1


def test_outsiders_cannot_post_vote_follow_or_comment():
    idea = post(make_council_member())
    expired = UserFactory()
    make_membership(expired, state=Membership.State.EXPIRED)

    for outsider in (AnonymousUser(), UserFactory(), expired):
        for action in (ideas.vote, ideas.unvote, ideas.follow, ideas.unfollow):
            with pytest.raises(ActionRefused):
                action(outsider, idea)
        with pytest.raises(ActionRefused):
            ideas.comment(outsider, idea, "Hello")
        with pytest.raises(ActionRefused):
            post(outsider, title="Sneaky")

    assert fresh(idea).vote_count == 1 and not IdeaComment.objects.exists()


def test_voting_twice_counts_once_and_withdrawing_takes_it_back():
    idea = post(make_council_member())
    voter = make_council_member()

    assert ideas.vote(voter, idea) is True
    assert ideas.vote(voter, idea) is False
    assert fresh(idea).vote_count == 2

    assert ideas.unvote(voter, idea) is True
    assert ideas.unvote(voter, idea) is False
    assert fresh(idea).vote_count == 1
    assert IdeaVote.objects.filter(idea=idea).count() == 1


def test_following_is_idempotent_and_counted():
    idea = post(make_council_member())
    reader = make_council_member()

    ideas.follow(reader, idea)
    ideas.follow(reader, idea)
    assert fresh(idea).follower_count == 2
    ideas.unfollow(reader, idea)
    assert fresh(idea).follower_count == 1


def test_votes_on_a_merged_or_hidden_idea_are_refused():
    manager = make_council_manager()
    source, target = post(make_council_member(), title="One"), post(make_council_member(), title="Two")
    hidden = post(make_council_member(), title="Three")
    Idea.objects.filter(pk=hidden.pk).update(hidden=True)
    ideas.merge(source, target, by=manager)
    voter = make_council_member()

    with pytest.raises(ActionRefused) as on_merged:
        ideas.vote(voter, source)
    with pytest.raises(ActionRefused) as on_hidden:
        ideas.vote(voter, hidden)

    assert on_merged.value.status == 409 and on_hidden.value.status == 404
    assert not IdeaVote.objects.filter(user=voter).exists()


def test_a_comment_is_markdown_and_counted_and_an_empty_one_is_refused():
    idea = post(make_council_member())
    member = make_council_member()

    row = ideas.comment(member, idea, "Yes, *please*")
    with pytest.raises(ActionRefused):
        ideas.comment(member, idea, "   ")

    assert row.body_html == "<p>Yes, <em>please</em></p>"
    assert fresh(idea).comment_count == 1


def test_only_managers_change_statuses_and_each_change_is_kept_with_its_note():
    idea = post(make_council_member())
    manager, member = make_council_manager(), make_council_member()
    planned = IdeaStatus.objects.get(name="Planned")

    with pytest.raises(ActionRefused):
        ideas.change_status(idea, planned, "", by=member)
    change = ideas.change_status(idea, planned, "Coming in *Q3*", by=manager)

    assert fresh(idea).status == planned
    assert change.previous == IdeaStatus.objects.get(is_default=True)
    assert change.note_html == "<p>Coming in <em>Q3</em></p>"
    with pytest.raises(ActionRefused) as again:
        ideas.change_status(idea, planned, "", by=manager)
    assert again.value.status == 409


def test_the_duplicate_status_is_reached_only_by_merging():
    idea = post(make_council_member())

    with pytest.raises(ActionRefused):
        ideas.change_status(idea, IdeaStatus.objects.get(kind="duplicate"), "", by=make_council_manager())

    assert fresh(idea).status.kind == "open"


def test_trending_weighs_recent_votes():
    idea = post(make_council_member())
    ideas.vote(make_council_member(), idea)

    assert 1.9 < fresh(idea).trending_score <= 2.0
