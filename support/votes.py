"""'Did this solve your problem?': the one place that writes article votes.

A voter is a logged-in user ("user:<id>") or else the anonymous first-party visitor cookie of
sitewide.visitor ("visitor:<id>"); never an IP address. Each voter has one vote per article revision:
voting again changes that vote. A new live revision collects new votes. Known bots don't count.
Every vote cast or changed is also a VOTED event (support.events) for the metrics.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from wagtail.models import Page, Revision

from sitewide.reader import Reader
from sitewide.text import clean_text
from support.events import record_event
from support.models import ArticleVote, Event
from support.models.votes import MAX_COMMENT_LENGTH


def voter_key(reader: Reader, *, create: bool = False) -> str:
    """Who votes: the logged-in user, else the visitor cookie ("" when there is none yet)."""
    user = reader.authenticated_user
    if user is not None:
        return f"user:{user.pk}"
    visitor_id = reader.get_or_create_visitor_id() if create else reader.visitor_id
    return f"visitor:{visitor_id}" if visitor_id else ""


def current_vote(reader: Reader, article) -> ArticleVote | None:
    """This reader's vote on the article's live revision (no query for a reader without a key)."""
    key = voter_key(reader)
    if not key:
        return None
    return ArticleVote.objects.filter(
        voter_key=key, article_id=article.pk, revision_id=article.live_revision_id
    ).first()


def revision_for_vote(article, revision_id) -> int | None:
    """The revision the reader saw: the one the form names when it is this article's, else the live one."""
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        return article.live_revision_id
    if revision_id == article.live_revision_id:
        return revision_id
    is_own = Revision.objects.filter(
        pk=revision_id, base_content_type=ContentType.objects.get_for_model(Page), object_id=str(article.pk)
    ).exists()
    return revision_id if is_own else article.live_revision_id


@dataclass
class VoteOutcome:
    vote: ArticleVote | None
    #: True when this changed an earlier vote of the same voter on the same revision.
    changed: bool = False


def cast_vote(
    reader: Reader, article, *, helpful: bool, reason: str = "", comment: str = "", revision_id=None
) -> VoteOutcome:
    """Record (or change) this reader's answer for the article revision they read.

    A "yes" clears any reason and comment. Returns VoteOutcome(None) for a bot: nothing stored.
    """
    if reader.is_bot:
        return VoteOutcome(None)
    reason = reason if (not helpful and reason in ArticleVote.Reason.values) else ""
    comment = clean_text(comment).strip()[:MAX_COMMENT_LENGTH] if not helpful else ""
    key = voter_key(reader, create=True)
    user = reader.authenticated_user
    revision = revision_for_vote(article, revision_id)
    values = {"helpful": helpful, "reason": reason, "comment": comment, "user": user}
    try:
        with transaction.atomic():
            vote, created = ArticleVote.objects.update_or_create(
                voter_key=key, article_id=article.pk, revision_id=revision, defaults=values
            )
    except IntegrityError:  # the same voter's other request won the race: change that row instead
        with transaction.atomic():
            vote = ArticleVote.objects.select_for_update().get(
                voter_key=key, article_id=article.pk, revision_id=revision
            )
            for name, value in values.items():
                setattr(vote, name, value)
            vote.save()
        created = False
    record_event(
        Event.Kind.VOTED,
        reader=reader,
        article=article,
        flow=Event.Flow.ARTICLE,
        data={"helpful": helpful, "reason": reason, "revision": revision, "changed": not created},
    )
    return VoteOutcome(vote, changed=not created)
