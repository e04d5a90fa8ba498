"""The roadmap's mutations: create and edit an item, publish it to "What's new", take it back, ship it.

One function per mutation; each checks who acts *at the moment of the action* (council managers,
customer_council.access), cleans what was typed (NUL bytes and over-long text are refused with a
message; Markdown goes through the forum's sanitising pipeline, the same as ideas, so HTML and
scripts are shown as text, never run) and writes in one transaction, so a refusal writes nothing.

Publishing is refused before the item's embargo (the model's check constraint says so too) and
needs wording of its own for the public: nothing of the members' preview is copied into it.
Shipping an item moves each idea it answers, unless already shipped, declined or a duplicate, to
the first status of the kind "shipped" through :func:`customer_council.services.ideas.change_status`
with a note naming the item, so the ideas' voters and followers are told as for any status change
(live and by email, after the commit, each recipient checked when it is sent).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from customer_council.models import Idea, IdeaStatus, ProductArea, RoadmapItem
from customer_council.services import ideas as idea_service
from customer_council.services.ideas import Conflict, NotFound, may_take_part, render_markdown, require_manager
from sitewide.errors import ActionRefused
from sitewide.text import clean_line, has_nul

MAX_TITLE = RoadmapItem._meta.get_field("title").max_length
MAX_SUMMARY = RoadmapItem._meta.get_field("summary").max_length
MAX_PUBLIC_TITLE = RoadmapItem._meta.get_field("public_title").max_length
MAX_PUBLIC_SUMMARY = RoadmapItem._meta.get_field("public_summary").max_length
#: An item answers at most this many ideas (a longer list is a mistake, and each one ships).
MAX_IDEAS = 200
#: Room the note's first line (naming the item) takes in the idea's status note.
SHIP_NOTE_HEADROOM = 400
#: Idea statuses a shipped item leaves alone: the idea is already answered.
SETTLED_KINDS = (IdeaStatus.Kind.SHIPPED, IdeaStatus.Kind.DECLINED, IdeaStatus.Kind.DUPLICATE)
#: Stages a manager sets by editing; "shipped" only by :func:`mark_shipped` (it tells voters).
EDITABLE_STAGES = (RoadmapItem.Stage.PLANNED, RoadmapItem.Stage.IN_PROGRESS)


# --- Reading --------------------------------------------------------------------------------------


def visible_items(user) -> QuerySet:
    """The roadmap items this person may open: all of them for members who may enter and managers
    (embargoed ones included: previews are what the council is for), none for anyone else."""
    if not may_take_part(user):
        return RoadmapItem.objects.none()
    return RoadmapItem.objects.all()


def published_items() -> QuerySet:
    """What "What's new" lists, to anyone: published items whose embargo has passed, newest first."""
    return RoadmapItem.objects.filter(published_at__isnull=False, embargo_until__lte=timezone.now()).order_by(
        "-published_at", "-pk"
    )


# --- Cleaning -------------------------------------------------------------------------------------


def _clean_title(title, *, limit: int, missing: str) -> str:
    if has_nul(title):
        raise ActionRefused(_("The text contains a NUL character. Remove it and try again."))
    title = clean_line(title)
    if not title:
        raise ActionRefused(missing)
    if len(title) > limit:
        raise ActionRefused(_("The title can be at most %(limit)s characters long.") % {"limit": limit})
    return title


def _clean_embargo(embargo_until) -> datetime:
    if not isinstance(embargo_until, datetime):
        raise ActionRefused(_("Say until when the item is confidential."))
    if timezone.is_naive(embargo_until):
        embargo_until = timezone.make_aware(embargo_until)
    return embargo_until


def _clean_stage(stage) -> str:
    if stage not in EDITABLE_STAGES:
        raise ActionRefused(_("Choose “planned” or “in progress”; an item ships with “Mark as shipped”."))
    return str(stage)


def _clean_area(product_area) -> ProductArea | None:
    if product_area is None or isinstance(product_area, ProductArea):
        return product_area
    raise ActionRefused(_("Choose one of the product areas."))


def _clean_ideas(ideas) -> list[Idea]:
    """The ideas (objects or ids) as rows that exist, or a refusal naming the problem."""
    ids = set()
    for idea in ideas or ():
        pk = idea.pk if isinstance(idea, Idea) else idea
        if not isinstance(pk, int) or isinstance(pk, bool) or pk <= 0:
            raise NotFound(_("There is no idea with that number."))
        ids.add(pk)
    if len(ids) > MAX_IDEAS:
        raise ActionRefused(_("An item can answer at most %(limit)s ideas.") % {"limit": MAX_IDEAS})
    found = list(Idea.objects.filter(pk__in=ids).order_by("pk"))
    if len(found) != len(ids):
        raise NotFound(_("There is no idea with that number."))
    return found


# --- Creating and editing -------------------------------------------------------------------------


def create_item(
    by,
    title,
    summary="",
    *,
    embargo_until,
    product_area: ProductArea | None = None,
    stage=RoadmapItem.Stage.PLANNED,
    ideas=(),
) -> RoadmapItem:
    """A new roadmap item, confidential until ``embargo_until`` (members see it as a preview)."""
    require_manager(by)
    title = _clean_title(title, limit=MAX_TITLE, missing=_("Give the item a title."))
    summary, summary_html = render_markdown(summary, limit=MAX_SUMMARY, required=False)
    embargo_until = _clean_embargo(embargo_until)
    stage = _clean_stage(stage)
    product_area = _clean_area(product_area)
    with transaction.atomic():
        linked = _clean_ideas(ideas)
        now = timezone.now()
        item = RoadmapItem.objects.create(
            title=title,
            summary=summary,
            summary_html=summary_html,
            product_area=product_area,
            stage=stage,
            embargo_until=embargo_until,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        item.ideas.set(linked)
    return item


def update_item(
    item, by, *, title, summary="", embargo_until, product_area: ProductArea | None = None, stage=None, ideas=None
) -> RoadmapItem:
    """Change what members see of the item (``ideas=None`` keeps the linked ideas). A published
    item's embargo cannot move past its publication (unpublish it first); a shipped item keeps
    its stage."""
    require_manager(by)
    title = _clean_title(title, limit=MAX_TITLE, missing=_("Give the item a title."))
    summary, summary_html = render_markdown(summary, limit=MAX_SUMMARY, required=False)
    embargo_until = _clean_embargo(embargo_until)
    product_area = _clean_area(product_area)
    with transaction.atomic():
        locked = RoadmapItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise NotFound(_("This roadmap item does not exist."))
        if locked.stage == RoadmapItem.Stage.SHIPPED:
            if stage not in (None, RoadmapItem.Stage.SHIPPED):
                raise Conflict(_("This item has shipped; its stage can no longer change."))
            stage = RoadmapItem.Stage.SHIPPED
        else:
            stage = _clean_stage(stage if stage is not None else locked.stage)
        if locked.published_at is not None and embargo_until > locked.published_at:
            raise Conflict(_("The item is already public; unpublish it before moving its embargo later."))
        linked = _clean_ideas(ideas) if ideas is not None else None
        fields = {
            "title": title,
            "summary": summary,
            "summary_html": summary_html,
            "embargo_until": embargo_until,
            "product_area": product_area,
            "stage": stage,
            "updated_at": timezone.now(),
        }
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        if linked is not None:
            locked.ideas.set(linked)
    for name, value in fields.items():
        setattr(item, name, value)
    return item


# --- Publishing -----------------------------------------------------------------------------------


def publish(item, public_title, public_summary, by) -> RoadmapItem:
    """Put the item on the public "What's new" page with the wording given here. Refused before
    the embargo lifts. Publishing a published item again changes its public wording and keeps its
    first publication date."""
    require_manager(by)
    public_title = _clean_title(
        public_title, limit=MAX_PUBLIC_TITLE, missing=_("Give the public entry a title before publishing.")
    )
    public_summary, public_summary_html = render_markdown(public_summary, limit=MAX_PUBLIC_SUMMARY, required=False)
    with transaction.atomic():
        locked = RoadmapItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise NotFound(_("This roadmap item does not exist."))
        now = timezone.now()
        if locked.embargo_until > now:
            raise Conflict(
                _("This item is confidential until %(date)s; it can be published after that.")
                % {"date": date_format(timezone.localtime(locked.embargo_until), "DATETIME_FORMAT")}
            )
        fields = {
            "public_title": public_title,
            "public_summary": public_summary,
            "public_summary_html": public_summary_html,
            "published_at": locked.published_at or now,
            "published_by": locked.published_by if locked.published_at else by,
            "updated_at": now,
        }
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
    for name, value in fields.items():
        setattr(item, name, value)
    return item


def unpublish(item, by) -> RoadmapItem:
    """Take the item off "What's new" (its public wording is kept for the next publication)."""
    require_manager(by)
    with transaction.atomic():
        locked = RoadmapItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise NotFound(_("This roadmap item does not exist."))
        if locked.published_at is None:
            raise Conflict(_("This item is not published."))
        now = timezone.now()
        RoadmapItem.objects.filter(pk=locked.pk).update(published_at=None, published_by=None, updated_at=now)
    item.published_at, item.published_by, item.updated_at = None, None, now
    return item


# --- Shipping -------------------------------------------------------------------------------------


def shipped_status() -> IdeaStatus:
    status = IdeaStatus.objects.filter(kind=IdeaStatus.Kind.SHIPPED).order_by("position", "pk").first()
    if status is None:
        raise ActionRefused(_("Define an idea status of the kind “shipped” before shipping items."), status=409)
    return status


def _ship_note(item: RoadmapItem, note: str) -> str:
    """The note the ideas' voters read: which item shipped, then the manager's words."""
    naming = _("Shipped with the roadmap item “%(title)s”.") % {"title": _escape_markdown(item.title)}
    return f"{naming}\n\n{note}" if note else naming


def _escape_markdown(text: str) -> str:
    """A title shown as itself inside Markdown (no emphasis, links or headings made of it)."""
    return "".join(f"\\{char}" if char in "\\`*_{}[]()<>#+-.!|~" else char for char in text)


def mark_shipped(item, by, note="") -> RoadmapItem:
    """Mark the item shipped now and move each idea it answers that is not shipped, declined or a
    duplicate yet to the first "shipped" status, with a note naming the item (and ``note``, in
    Markdown, if given): their voters and followers are told."""
    require_manager(by)
    note, _note_html = render_markdown(note, limit=idea_service.MAX_NOTE - SHIP_NOTE_HEADROOM, required=False)
    status = shipped_status()
    with transaction.atomic():
        locked = RoadmapItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise NotFound(_("This roadmap item does not exist."))
        if locked.stage == RoadmapItem.Stage.SHIPPED:
            raise Conflict(_("This item has already shipped."))
        now = timezone.now()
        RoadmapItem.objects.filter(pk=locked.pk).update(stage=RoadmapItem.Stage.SHIPPED, shipped_at=now, updated_at=now)
        message = _ship_note(locked, note)
        answered = locked.ideas.exclude(status__kind__in=SETTLED_KINDS).filter(merged_into__isnull=True).order_by("pk")
        for idea in answered:
            idea_service.change_status(idea, status, message, by=by)
    item.stage, item.shipped_at, item.updated_at = RoadmapItem.Stage.SHIPPED, now, now
    return item
