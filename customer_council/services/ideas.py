"""The feedback board's mutations: each one checks permission, writes, and announces (after commit).

Views, commands and consumers call these functions and nothing else writes ideas, votes,
follows, comments, statuses or merges. Who may act is decided *at the moment of the action*
through customer_council.access (``may_enter`` for members, ``is_manager`` for staff), never
from what a page showed earlier. A refusal is an :class:`~sitewide.errors.ActionRefused` with a
message the person can act on and its HTTP status; a refused action writes nothing (each
function is one transaction).

Counters (``vote_count``, ``follower_count``, ``comment_count``) move with ``F()`` updates in the
same transaction as the row they count; a merge recounts both ideas from their rows.

Live events (customer_council.consumers) say only "idea 7 changed" on ``council.ideas``; the page
fetches the permission-checked HTML. Hidden ideas are never announced there.
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from customer_council.access import is_manager, may_enter
from customer_council.models import (
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaMerge,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
    ProductArea,
    Team,
)
from customer_council.search_indexes import reindex_ideas_after_commit
from customer_council.services import idea_notifications
from forum import markdown
from sitewide.errors import ActionRefused
from sitewide.text import clean_line, clean_text, has_nul
from support.suggestions import suggest_while_typing

#: The live group every open council page of a member listens to for idea events.
IDEAS_GROUP = "council.ideas"

MAX_TITLE = Idea._meta.get_field("title").max_length
MAX_PROBLEM = Idea._meta.get_field("problem").max_length
MAX_BODY = Idea._meta.get_field("body").max_length
MAX_COMMENT = IdeaComment._meta.get_field("body").max_length
MAX_NOTE = IdeaStatusChange._meta.get_field("note").max_length
MAX_TAGS = 8
MAX_TAG_LENGTH = 40
#: The same member submitting the same title again this soon is a double click, not a new idea.
DUPLICATE_WINDOW = timedelta(minutes=1)
#: Votes count towards "trending" for this long, halving in weight every TRENDING_HALF_LIFE.
TRENDING_WINDOW = timedelta(days=7)
TRENDING_HALF_LIFE = timedelta(days=2)


class NotAllowed(ActionRefused):
    """The person may not do this (now)."""

    status = 403


class NotFound(ActionRefused):
    """The idea is not there for this person (hidden, or merged away): the same as not existing."""

    status = 404


class Conflict(ActionRefused):
    """The idea's state forbids this (merged, already merged, a duplicate submit)."""

    status = 409


# --- Who may act --------------------------------------------------------------------------------


def may_take_part(user) -> bool:
    """Members who may enter now, and council managers."""
    return bool(user is not None and (is_manager(user) or may_enter(user)))


def require_participant(user) -> None:
    if not may_take_part(user):
        raise NotAllowed(_("Only council members can do this."))


def require_manager(user) -> None:
    if not is_manager(user):
        raise NotAllowed(_("Only council managers can do this."))


def visible_ideas(user) -> QuerySet:
    """The ideas this person may open: none for outsiders, every idea for managers, and every idea
    not hidden by a moderator for members (merged ones included: their pages lead to the target)."""
    if is_manager(user):
        return Idea.objects.all()
    if not may_enter(user):
        return Idea.objects.none()
    return Idea.objects.filter(hidden=False)


def board_ideas(user) -> QuerySet:
    """What the board lists: visible ideas that are not merged into another."""
    return visible_ideas(user).filter(merged_into__isnull=True)


# --- Cleaning what members type -------------------------------------------------------------------


def _refuse_nul(*texts) -> None:
    if any(has_nul(text) for text in texts):
        raise ActionRefused(_("The text contains a NUL character. Remove it and try again."))


def clean_title(title) -> str:
    _refuse_nul(title)
    title = clean_line(title)
    if not title:
        raise ActionRefused(_("Give your idea a title."))
    if len(title) > MAX_TITLE:
        raise ActionRefused(_("The title can be at most %(limit)s characters long.") % {"limit": MAX_TITLE})
    return title


def clean_problem(problem) -> str:
    _refuse_nul(problem)
    problem = clean_text(problem).strip()
    if not problem:
        raise ActionRefused(_("Say which problem the idea solves."))
    if len(problem) > MAX_PROBLEM:
        raise ActionRefused(_("The problem can be at most %(limit)s characters long.") % {"limit": MAX_PROBLEM})
    return problem


def clean_tags(tags) -> list[str]:
    """Tags as a list of short single lines, without duplicates (compared ignoring case)."""
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned, seen = [], set()
    for tag in tags or []:
        _refuse_nul(tag)
        tag = clean_line(tag)
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ActionRefused(_("A tag can be at most %(limit)s characters long.") % {"limit": MAX_TAG_LENGTH})
        seen.add(tag.casefold())
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ActionRefused(_("An idea can have at most %(limit)s tags.") % {"limit": MAX_TAGS})
    return cleaned


def render_markdown(text, *, limit: int, required: bool) -> tuple[str, str]:
    """(stored Markdown, sanitised HTML) through the forum's one pipeline; empty allowed unless
    ``required``. Refusals (NUL, too long, nested too deep) keep the pipeline's own message."""
    _refuse_nul(text)
    if not clean_text(text).strip():
        if required:
            raise ActionRefused(_("Write something first."))
        return "", ""
    if len(clean_text(text)) > limit:
        raise ActionRefused(_("The text can be at most %(limit)s characters long.") % {"limit": f"{limit:,}"})
    try:
        body = markdown.clean_body(text)
        return body, markdown.render(body, nofollow=True)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error


# --- Live events ----------------------------------------------------------------------------------


def announce_idea_changed(idea_id: int) -> None:
    """After commit: tell every open council page that idea ``idea_id`` changed (not what)."""
    transaction.on_commit(partial(_send_idea_changed, idea_id))


def _send_idea_changed(idea_id: int) -> None:
    if Idea.objects.filter(pk=idea_id, hidden=False).exists():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(IDEAS_GROUP, {"type": "idea.changed", "idea": idea_id})


# --- Posting --------------------------------------------------------------------------------------


def default_status() -> IdeaStatus:
    status = IdeaStatus.objects.filter(is_default=True).first() or IdeaStatus.objects.order_by("position").first()
    if status is None:
        raise ActionRefused(_("The board has no statuses yet; ask a council manager."), status=409)
    return status


def post_idea(author, title, problem, body="", product_area: ProductArea | None = None, tags=()) -> Idea:
    """A new idea in the default status; its author votes for it and follows it (as on Canny)."""
    require_participant(author)
    title = clean_title(title)
    problem = clean_problem(problem)
    body, body_html = render_markdown(body, limit=MAX_BODY, required=False)
    tags = clean_tags(tags)
    status = default_status()
    now = timezone.now()
    with transaction.atomic():
        # Serialise one author's submits, so two clicks cannot both pass the duplicate check.
        get_user_model().objects.select_for_update().filter(pk=author.pk).first()
        if Idea.objects.filter(author=author, title__iexact=title, created_at__gte=now - DUPLICATE_WINDOW).exists():
            raise Conflict(_("You have just posted an idea with this title."))
        idea = Idea.objects.create(
            author=author,
            title=title,
            problem=problem,
            body=body,
            body_html=body_html,
            product_area=product_area,
            tags=tags,
            status=status,
            vote_count=1,
            follower_count=1,
            created_at=now,
            updated_at=now,
        )
        IdeaVote.objects.create(idea=idea, user=author, created_at=now)
        IdeaFollow.objects.create(idea=idea, user=author, created_at=now)
        IdeaStatusChange.objects.create(idea=idea, status=status, previous=None, changed_by=author, at=now)
        refresh_trending([idea.pk])
        announce_idea_changed(idea.pk)
    return idea


def _locked_idea(idea, user) -> Idea:
    """The idea re-read under a row lock, as this person may see it now, open for taking part."""
    locked = visible_ideas(user).select_for_update().filter(pk=idea.pk).first()
    if locked is None:
        raise NotFound(_("This idea is not on the board."))
    if locked.merged_into_id is not None:
        raise Conflict(_("This idea was merged into another one; take part there."))
    if locked.hidden:
        raise Conflict(_("This idea is hidden."))
    return locked


# --- Votes and follows ----------------------------------------------------------------------------


def vote(user, idea) -> bool:
    """Vote for ``idea``; voting again changes nothing. True when a vote was added."""
    require_participant(user)
    with transaction.atomic():
        idea = _locked_idea(idea, user)
        try:
            with transaction.atomic():
                IdeaVote.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        refresh_trending([idea.pk])
        announce_idea_changed(idea.pk)
    return True


def unvote(user, idea) -> bool:
    """Withdraw the vote (a no-op without one). True when a vote was removed."""
    require_participant(user)
    with transaction.atomic():
        idea = _locked_idea(idea, user)
        deleted, _rows = IdeaVote.objects.filter(idea=idea, user=user).delete()
        if not deleted:
            return False
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        refresh_trending([idea.pk])
        announce_idea_changed(idea.pk)
    return True


def follow(user, idea) -> bool:
    require_participant(user)
    with transaction.atomic():
        idea = _locked_idea(idea, user)
        try:
            with transaction.atomic():
                IdeaFollow.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(follower_count=F("follower_count") + 1)
    return True


def unfollow(user, idea) -> bool:
    require_participant(user)
    with transaction.atomic():
        idea = _locked_idea(idea, user)
        deleted, _rows = IdeaFollow.objects.filter(idea=idea, user=user).delete()
        if not deleted:
            return False
        Idea.objects.filter(pk=idea.pk).update(follower_count=F("follower_count") - 1)
    return True


def refresh_trending(idea_ids=None) -> int:
    """Recompute ``trending_score`` (votes of the last 7 days, each halving in weight every two
    days) for ``idea_ids``, or for every idea with a score or a recent vote. Returns how many."""
    now = timezone.now()
    since = now - TRENDING_WINDOW
    votes = IdeaVote.objects.filter(created_at__gte=since)
    ideas = Idea.objects.all()
    if idea_ids is not None:
        votes, ideas = votes.filter(idea_id__in=idea_ids), ideas.filter(pk__in=idea_ids)
    else:
        ideas = ideas.filter(Q(trending_score__gt=0) | Q(votes__created_at__gte=since)).distinct()
    scores: dict[int, float] = {}
    half_life = TRENDING_HALF_LIFE.total_seconds()
    for idea_id, at in votes.values_list("idea_id", "created_at"):
        scores[idea_id] = scores.get(idea_id, 0.0) + math.pow(0.5, (now - at).total_seconds() / half_life)
    changed = 0
    for idea_id in list(ideas.values_list("pk", flat=True)):
        changed += Idea.objects.filter(pk=idea_id).update(trending_score=round(scores.get(idea_id, 0.0), 6))
    return changed


# --- Comments -------------------------------------------------------------------------------------


def comment(user, idea, body) -> IdeaComment:
    """A comment in Markdown (the forum's pipeline); the idea's followers see it on its page."""
    require_participant(user)
    body, body_html = render_markdown(body, limit=MAX_COMMENT, required=True)
    with transaction.atomic():
        idea = _locked_idea(idea, user)
        row = IdeaComment.objects.create(idea=idea, author=user, body=body, body_html=body_html)
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        announce_idea_changed(idea.pk)
    return row


# --- Managers: status, team, merge ----------------------------------------------------------------


def change_status(idea, status: IdeaStatus, note="", by=None) -> IdeaStatusChange:
    """Move ``idea`` to ``status`` with an optional note to members (Markdown); its voters and
    followers who may still enter hear of it (customer_council.services.idea_notifications)."""
    require_manager(by)
    note, note_html = render_markdown(note, limit=MAX_NOTE, required=False)
    if status.kind == IdeaStatus.Kind.DUPLICATE:
        raise ActionRefused(_("To mark an idea as a duplicate, merge it into the idea it duplicates."))
    with transaction.atomic():
        locked = Idea.objects.select_for_update().filter(pk=idea.pk).first()
        if locked is None:
            raise NotFound(_("This idea is not on the board."))
        if locked.merged_into_id is not None:
            raise Conflict(_("This idea is merged into another one; undo the merge first."))
        if locked.status_id == status.pk and not note:
            raise Conflict(_("The idea already has this status."))
        now = timezone.now()
        change = IdeaStatusChange.objects.create(
            idea=locked,
            status=status,
            previous_id=locked.status_id,
            note=note,
            note_html=note_html,
            changed_by=by,
            at=now,
        )
        Idea.objects.filter(pk=locked.pk).update(status=status, updated_at=now)
        idea_notifications.notify_status_change(change)
        reindex_ideas_after_commit(locked.pk)
        announce_idea_changed(locked.pk)
    idea.status, idea.updated_at = status, now
    return change


def assign_team(idea, team: Team | None, by=None) -> None:
    """Route the idea to an internal team (or to none)."""
    require_manager(by)
    with transaction.atomic():
        updated = Idea.objects.filter(pk=idea.pk).update(team=team, updated_at=timezone.now())
        if not updated:
            raise NotFound(_("This idea is not on the board."))
    idea.team = team


def duplicate_status() -> IdeaStatus:
    status = IdeaStatus.objects.filter(kind=IdeaStatus.Kind.DUPLICATE).order_by("position").first()
    if status is None:
        raise ActionRefused(_("Define a status of the kind “duplicate” before merging."), status=409)
    return status


def _recount(idea_id: int) -> None:
    Idea.objects.filter(pk=idea_id).update(
        vote_count=IdeaVote.objects.filter(idea_id=idea_id).count(),
        follower_count=IdeaFollow.objects.filter(idea_id=idea_id).count(),
    )


def merge(source, target, by=None) -> IdeaMerge:
    """Merge the duplicate ``source`` into ``target``.

    Votes and follows of members who have not voted for / followed the target move there (marked
    ``moved_from``); those of members who already have are dropped from the source and their user
    ids kept on the :class:`IdeaMerge`, so :func:`undo_merge` gives them back. The source takes
    the "duplicate" status and points at the target; both counts are recounted from rows.
    Both ideas are locked (in id order, so two merges cannot deadlock) and re-read, so of two
    merges of the same source at once one wins and the other is refused.
    """
    require_manager(by)
    if source.pk == target.pk:
        raise ActionRefused(_("An idea cannot be merged into itself."))
    duplicate = duplicate_status()
    with transaction.atomic():
        locked = {
            idea.pk: idea
            for idea in Idea.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
        }
        source, target = locked.get(source.pk), locked.get(target.pk)
        if source is None or target is None:
            raise NotFound(_("This idea is not on the board."))
        if source.merged_into_id is not None:
            raise Conflict(_("This idea has already been merged into another one."))
        if target.merged_into_id is not None:
            raise Conflict(_("The target idea is itself merged into another one; merge into that one instead."))
        if Idea.objects.filter(merged_into=source).exists():
            raise Conflict(_("Other ideas are merged into this one; undo those merges first or merge them elsewhere."))

        target_voters = set(IdeaVote.objects.filter(idea=target).values_list("user_id", flat=True))
        target_followers = set(IdeaFollow.objects.filter(idea=target).values_list("user_id", flat=True))
        source_voters = set(IdeaVote.objects.filter(idea=source).values_list("user_id", flat=True))
        source_followers = set(IdeaFollow.objects.filter(idea=source).values_list("user_id", flat=True))
        kept_votes = sorted(source_voters & target_voters)
        kept_follows = sorted(source_followers & target_followers)

        IdeaVote.objects.filter(idea=source, user_id__in=kept_votes).delete()
        IdeaFollow.objects.filter(idea=source, user_id__in=kept_follows).delete()
        IdeaVote.objects.filter(idea=source).update(idea=target, moved_from=source)
        IdeaFollow.objects.filter(idea=source).update(idea=target, moved_from=source)

        now = timezone.now()
        record = IdeaMerge.objects.create(
            source=source,
            target=target,
            merged_by=by,
            merged_at=now,
            previous_status_id=source.status_id,
            kept_vote_user_ids=kept_votes,
            kept_follow_user_ids=kept_follows,
        )
        change = IdeaStatusChange.objects.create(
            idea=source, status=duplicate, previous_id=source.status_id, changed_by=by, at=now
        )
        Idea.objects.filter(pk=source.pk).update(merged_into=target, status=duplicate, updated_at=now)
        Idea.objects.filter(pk=target.pk).update(updated_at=now)
        _recount(source.pk)
        _recount(target.pk)
        refresh_trending([source.pk, target.pk])
        # The source's voters and followers (now the target's) hear that it is a duplicate.
        idea_notifications.notify_status_change(change, recipient_ids=source_voters | source_followers)
        reindex_ideas_after_commit(source.pk, target.pk)
        announce_idea_changed(source.pk)
        announce_idea_changed(target.pk)
    return record


def undo_merge(record: IdeaMerge, by=None) -> IdeaMerge:
    """Put back exactly what :func:`merge` moved: the moved votes and follows still on the target
    return to the source, the dropped ones are given back, the source's status is restored."""
    require_manager(by)
    with transaction.atomic():
        record = IdeaMerge.objects.select_for_update().filter(pk=record.pk).first()
        if record is None:
            raise NotFound(_("This merge does not exist."))
        if record.undone_at is not None:
            raise Conflict(_("This merge has already been undone."))
        ideas = {
            idea.pk: idea
            for idea in Idea.objects.select_for_update()
            .filter(pk__in=[record.source_id, record.target_id])
            .order_by("pk")
        }
        source, target = ideas[record.source_id], ideas[record.target_id]
        if source.merged_into_id != target.pk:
            raise Conflict(_("The idea is no longer merged into that one."))

        IdeaVote.objects.filter(idea=target, moved_from=source).update(idea=source, moved_from=None)
        IdeaFollow.objects.filter(idea=target, moved_from=source).update(idea=source, moved_from=None)
        IdeaVote.objects.bulk_create(
            [IdeaVote(idea=source, user_id=user_id) for user_id in record.kept_vote_user_ids], ignore_conflicts=True
        )
        IdeaFollow.objects.bulk_create(
            [IdeaFollow(idea=source, user_id=user_id) for user_id in record.kept_follow_user_ids], ignore_conflicts=True
        )
        now = timezone.now()
        IdeaStatusChange.objects.create(
            idea=source, status_id=record.previous_status_id, previous_id=source.status_id, changed_by=by, at=now
        )
        Idea.objects.filter(pk=source.pk).update(merged_into=None, status_id=record.previous_status_id, updated_at=now)
        _recount(source.pk)
        _recount(target.pk)
        refresh_trending([source.pk, target.pk])
        record.undone_at, record.undone_by = now, by
        record.save(update_fields=["undone_at", "undone_by"])
        reindex_ideas_after_commit(source.pk, target.pk)
        announce_idea_changed(source.pk)
        announce_idea_changed(target.pk)
    return record


# --- Reading helpers the views share ----------------------------------------------------------------


def similar_ideas(reader, query, *, language: str, limit: int = 5) -> list[Idea]:
    """Ideas on the board like what is being typed as a new idea's title: the one "suggest while
    typing" service (support.suggestions) with the council's ideas only, as a confidential flow
    (nothing recorded). The hits are re-read from the board, in the search's order, so a merged
    or hidden idea never shows."""
    shown = suggest_while_typing(reader, query, flow=None, visit_id="", language=language, limit=limit, models=(Idea,))
    label = Idea._meta.label_lower
    ids = [suggestion.hit.pk for suggestion in shown.suggestions if suggestion.hit.model_label == label]
    user = reader.authenticated_user
    if not ids or user is None:
        return []
    ideas = board_ideas(user).filter(pk__in=ids).select_related("status").in_bulk()
    return [ideas[int(pk)] for pk in ids if int(pk) in ideas]
