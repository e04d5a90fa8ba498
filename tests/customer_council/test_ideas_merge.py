"""Merging a duplicate idea into another and undoing it: exact counts, refusals and races."""

import threading

import pytest
from django.db import connection

from customer_council.models import Idea, IdeaFollow, IdeaMerge, IdeaStatus, IdeaVote
from customer_council.services import ideas
from sitewide.errors import ActionRefused
from tests.factories.council import make_council_manager, make_council_member


def post(author, title):
    return ideas.post_idea(author, title, "A problem")


def voters(idea) -> set:
    return set(IdeaVote.objects.filter(idea=idea).values_list("user_id", flat=True))


def followers(idea) -> set:
    return set(IdeaFollow.objects.filter(idea=idea).values_list("user_id", flat=True))


def counts(idea) -> tuple[int, int]:
    idea = Idea.objects.get(pk=idea.pk)
    return idea.vote_count, idea.follower_count


@pytest.fixture
def overlapping(db):
    """A duplicate (by Ann, voted by Ben and Cat, followed by Ben) and its target (by Dan, voted and
    followed by Ben): Ben is on both."""
    ann, ben, cat, dan = (make_council_member() for _ in range(4))
    source, target = post(ann, "Dark mode"), post(dan, "Night theme")
    for member in (ben, cat):
        ideas.vote(member, source)
    ideas.follow(ben, source)
    ideas.vote(ben, target)
    ideas.follow(ben, target)
    return {"ann": ann, "ben": ben, "cat": cat, "dan": dan, "source": source, "target": target}


@pytest.mark.django_db
def test_a_merge_moves_votes_and_followers_without_counting_anyone_twice(overlapping):
    o = overlapping
    manager = make_council_manager()

    record = ideas.merge(o["source"], o["target"], by=manager)

    assert voters(o["target"]) == {o["ann"].pk, o["ben"].pk, o["cat"].pk, o["dan"].pk}
    assert followers(o["target"]) == {o["ann"].pk, o["ben"].pk, o["dan"].pk}
    assert counts(o["target"]) == (4, 3) and counts(o["source"]) == (0, 0)
    assert record.kept_vote_user_ids == [o["ben"].pk] and record.kept_follow_user_ids == [o["ben"].pk]
    source = Idea.objects.get(pk=o["source"].pk)
    assert source.merged_into_id == o["target"].pk and source.status.kind == IdeaStatus.Kind.DUPLICATE


@pytest.mark.django_db
def test_undoing_a_merge_restores_exactly_what_was_there(overlapping):
    o = overlapping
    manager = make_council_manager()
    status_before = Idea.objects.get(pk=o["source"].pk).status
    before = {
        "source": (voters(o["source"]), followers(o["source"]), counts(o["source"])),
        "target": (voters(o["target"]), followers(o["target"]), counts(o["target"])),
    }
    record = ideas.merge(o["source"], o["target"], by=manager)

    ideas.undo_merge(record, by=manager)

    after = {
        "source": (voters(o["source"]), followers(o["source"]), counts(o["source"])),
        "target": (voters(o["target"]), followers(o["target"]), counts(o["target"])),
    }
    assert after == before
    source = Idea.objects.get(pk=o["source"].pk)
    assert source.merged_into_id is None and source.status == status_before
    assert IdeaMerge.objects.get(pk=record.pk).undone_at is not None
    assert not IdeaVote.objects.filter(moved_from__isnull=False).exists()


@pytest.mark.django_db
def test_undo_twice_is_refused_and_changes_nothing(overlapping):
    o = overlapping
    manager = make_council_manager()
    record = ideas.merge(o["source"], o["target"], by=manager)
    ideas.undo_merge(record, by=manager)

    with pytest.raises(ActionRefused) as refusal:
        ideas.undo_merge(record, by=manager)

    assert refusal.value.status == 409
    assert counts(o["source"]) == (3, 2) and counts(o["target"]) == (2, 2)


@pytest.mark.django_db
def test_merges_into_itself_into_a_merged_idea_or_making_a_chain_are_refused():
    manager = make_council_manager()
    a, b, c, d = (post(make_council_member(), title) for title in ("A", "B", "C", "D"))
    ideas.merge(a, b, by=manager)

    with pytest.raises(ActionRefused, match="itself"):
        ideas.merge(c, c, by=manager)
    with pytest.raises(ActionRefused, match="itself merged"):
        ideas.merge(c, a, by=manager)
    with pytest.raises(ActionRefused, match="Other ideas are merged into this one"):
        ideas.merge(b, d, by=manager)
    with pytest.raises(ActionRefused, match="already been merged"):
        ideas.merge(a, d, by=manager)

    assert IdeaMerge.objects.count() == 1
    assert Idea.objects.filter(merged_into__isnull=False).count() == 1


@pytest.mark.django_db
def test_members_cannot_merge_or_undo(overlapping):
    o = overlapping

    with pytest.raises(ActionRefused) as refusal:
        ideas.merge(o["source"], o["target"], by=o["ben"])

    assert refusal.value.status == 403 and not IdeaMerge.objects.exists()
    record = ideas.merge(o["source"], o["target"], by=make_council_manager())
    with pytest.raises(ActionRefused):
        ideas.undo_merge(record, by=o["ben"])
    assert IdeaMerge.objects.get(pk=record.pk).undone_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_merges_of_the_same_duplicate_at_once_one_wins_and_the_other_is_refused():
    manager = make_council_manager()
    source = post(make_council_member(), "Dark mode")
    first, second = post(make_council_member(), "Night theme"), post(make_council_member(), "Darker UI")
    for _ in range(3):
        ideas.vote(make_council_member(), source)
    start = threading.Barrier(2)
    outcomes = []

    def merge_into(target):
        try:
            start.wait()
            ideas.merge(source, target, by=manager)
            outcomes.append(("merged", target.pk))
        except ActionRefused as refusal:
            outcomes.append(("refused", refusal.status))
        finally:
            connection.close()

    threads = [threading.Thread(target=merge_into, args=(target,)) for target in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _value in outcomes) == ["merged", "refused"]
    assert ("refused", 409) in outcomes
    winner = next(value for kind, value in outcomes if kind == "merged")
    loser = second.pk if winner == first.pk else first.pk
    assert IdeaMerge.objects.count() == 1
    assert counts(Idea.objects.get(pk=winner)) == (5, 2)
    assert counts(Idea.objects.get(pk=loser)) == (1, 1)
    assert Idea.objects.get(pk=source.pk).merged_into_id == winner
