"""A visitor who voted on an article sees their own answer, never the cached "Did this solve it?"."""

from sitewide import page_cache
from sitewide.reader import reader_of
from support.models import ArticleVote
from support.votes import voter_key


def has_not_voted(request, entry) -> bool:
    """True when the reader has no vote on the cached revision (one query, none without a cookie)."""
    key = voter_key(reader_of(request))
    if not key:
        return True
    votes = ArticleVote.objects.filter(voter_key=key, article_id=entry["object_id"])
    return not votes.filter(revision_id=entry["extra"].get("revision_id")).exists()


def connect() -> None:
    page_cache.add_hit_check("article", has_not_voted)
