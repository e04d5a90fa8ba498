"""Accepted answers (asker or moderator, questions only), upvotes (one each, not your own),
reputation (+10 per upvote, +15 per accepted answer), badges, and the resolution event for
help articles an accepted answer links."""

import pytest

from forum import services
from forum.models import BadgeAward, MemberStats, Post
from forum.signals import answer_accepted, post_voted
from support.models import Event
from tests.factories import make_article
from tests.factories.forum import make_member, make_moderator, make_topic

pytestmark = pytest.mark.django_db


def reputation(user) -> int:
    stats = MemberStats.objects.filter(user=user).first()
    return stats.reputation if stats else 0


def badges(user) -> set:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


@pytest.fixture
def question():
    return make_topic("Why is my espresso sour?", posts=1)


def test_the_asker_accepts_an_answer_and_its_author_gains_reputation(question):
    answerer = make_member()
    answer = services.reply(answerer, question, "Grind finer.")
    services.accept_answer(question.author, answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert reputation(answerer) == 15
    assert badges(answerer) == {BadgeAward.Badge.FIRST_ANSWER, BadgeAward.Badge.FIRST_ACCEPTED}


def test_a_moderator_may_accept_but_another_member_may_not(question):
    answer = services.reply(make_member(), question, "Grind finer.")
    with pytest.raises(services.NotAllowed):
        services.accept_answer(make_member(), answer)
    services.accept_answer(make_moderator(), answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_only_questions_have_accepted_answers():
    discussion = make_topic(posts=1, is_question=False)
    answer = services.reply(make_member(), discussion, "Nice")
    with pytest.raises(services.ActionRefused):
        services.accept_answer(discussion.author, answer)


def test_the_question_cannot_be_its_own_answer(question):
    with pytest.raises(services.ActionRefused):
        services.accept_answer(question.author, question.posts.get(position=1))


def test_changing_the_accepted_answer_moves_the_reputation(question):
    first_author, second_author = make_member(), make_member()
    first = services.reply(first_author, question, "One")
    second = services.reply(second_author, question, "Two")
    services.accept_answer(question.author, first)
    services.accept_answer(question.author, second)
    assert (reputation(first_author), reputation(second_author)) == (0, 15)
    services.clear_answer(question.author, question)
    question.refresh_from_db()
    assert question.accepted_answer is None and reputation(second_author) == 0


def test_accepting_your_own_answer_earns_nothing(question):
    own = services.reply(question.author, question, "Found it myself")
    services.accept_answer(question.author, own)
    assert reputation(question.author) == 0


def test_an_upvote_adds_ten_reputation_once(question):
    post = question.posts.get()
    voter = make_member()
    services.vote(voter, post)
    services.vote(voter, post)
    post.refresh_from_db()
    assert post.score == 1 and reputation(question.author) == 10


def test_taking_back_an_upvote_takes_back_the_reputation(question):
    post = question.posts.get()
    voter = make_member()
    services.vote(voter, post)
    services.unvote(voter, post)
    post.refresh_from_db()
    assert post.score == 0 and reputation(question.author) == 0


def test_nobody_votes_for_their_own_post(question):
    with pytest.raises(services.ActionRefused):
        services.vote(question.author, question.posts.get())


def test_ten_upvotes_earn_a_badge(question):
    post = question.posts.get()
    for _n in range(10):
        services.vote(make_member(), post)
    assert BadgeAward.Badge.TEN_UPVOTES in badges(question.author)
    assert reputation(question.author) == 100


def test_an_accepted_answer_linking_an_article_records_a_resolution_for_it(help_centers, question):
    article = make_article("Descale your machine")
    other = make_article("Clean the grinder")
    answer = services.reply(
        make_member(),
        question,
        f"See [this]({article.url}) and [that](http://localhost{other.url}) but not [x](https://else.example{article.url}).",
    )
    services.accept_answer(question.author, answer)
    events = Event.objects.filter(kind=Event.Kind.FORUM_ANSWER_ACCEPTED).order_by("pk")
    assert [event.article_id for event in events] == [article.pk, other.pk]
    assert events[0].data == {"topic": question.pk, "post": answer.pk}
    assert events[0].flow == Event.Flow.FORUM and events[0].language == "en"


def test_an_accepted_answer_without_article_links_records_nothing(help_centers, question):
    answer = services.reply(make_member(), question, "See [a forum post](/en/forum/)")
    services.accept_answer(question.author, answer)
    assert not Event.objects.filter(kind=Event.Kind.FORUM_ANSWER_ACCEPTED).exists()


def test_clearing_the_answer_records_nothing_new(help_centers, question):
    article = make_article("Descale your machine")
    answer = services.reply(make_member(), question, f"[Read]({article.url})")
    services.accept_answer(question.author, answer)
    services.clear_answer(question.author, question)
    assert Event.objects.filter(kind=Event.Kind.FORUM_ANSWER_ACCEPTED).count() == 1


def test_a_deleted_post_cannot_be_accepted(question):
    answer = services.reply(make_member(), question, "Gone soon")
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    answer.refresh_from_db()
    with pytest.raises(services.ActionRefused):
        services.accept_answer(question.author, answer)


def test_accepting_and_voting_are_announced_after_commit(question, django_capture_on_commit_callbacks):
    heard = []

    def on_accepted(sender, topic, post, by, **kwargs):
        heard.append(("accepted", topic.pk, post.pk, by.pk))

    def on_voted(sender, post, **kwargs):
        heard.append(("voted", post.pk))

    answer_accepted.connect(on_accepted, weak=False)
    post_voted.connect(on_voted, weak=False)
    try:
        answer = services.reply(make_member(), question, "Grind finer.")
        with django_capture_on_commit_callbacks() as callbacks:
            services.accept_answer(question.author, answer)
            services.vote(question.author, answer)
            assert heard == []
        for callback in callbacks:
            callback()
    finally:
        answer_accepted.disconnect(on_accepted)
        post_voted.disconnect(on_voted)
    assert ("accepted", question.pk, answer.pk, question.author.pk) in heard and ("voted", answer.pk) in heard
