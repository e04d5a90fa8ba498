"""Importing a Stack Exchange data dump (Posts.xml) into a forum category, idempotently.

* Streaming: rows are read one at a time (iterparse) and cleared, so a dump of any size fits.
* Questions (PostTypeId 1) become topics, answers (PostTypeId 2) their replies in the order the
  dump lists them; scores, tags ("<a><b>" or "|a|b|"), creation dates, view counts and accepted
  answers (AcceptedAnswerId) come along. Other row types (wiki, moderator nominations) are skipped.
* Idempotent: topics and posts remember ``source`` ("stackexchange:<site>") and the dump's id.
  A second import updates what changed and adds what is new; nothing is duplicated, and the
  positions of posts already imported never move.
* Category: the importer is given a saved category, or an unsaved one to create (public, ordered
  last). It is created in the transaction of the first batch written, like the placeholder author,
  so a dump that cannot be read leaves nothing behind; a later run finds it by its slug.
* Authors: every imported post belongs to one inactive placeholder account per site (it cannot
  log in, earn reputation or be mentioned); the original author's name ("Stack Exchange user
  <OwnerUserId>", or OwnerDisplayName for deleted accounts) is kept in ``Post.source_author`` and
  shown on the post, as CC BY-SA attribution requires, with a link to the original question.
* Bodies: the dump's HTML goes through the forum's allow-list (forum.markdown.sanitize_html);
  images from elsewhere become links (only our own attachments are shown inline).
  ``body_markdown`` holds a plain-text version, used for search and as the starting text if a
  moderator edits the post.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify

from forum.markdown import MAX_TITLE_CHARACTERS, clean_title, sanitize_html
from forum.models import Category, Post, Tag, Topic
from forum.search import index_topics

#: Rows written per transaction (one commit per batch keeps SQLite fast and the index in step).
BATCH = 200
QUESTION, ANSWER = "1", "2"
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


class DumpUnreadable(Exception):
    """The dump cannot be read (not XML, or not a Posts.xml)."""


@dataclass
class ImportResult:
    created_topics: int = 0
    created_posts: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    #: The category was created by this import.
    created_category: bool = False
    #: Topics created or changed, to re-index (an unchanged re-import writes nothing to the index).
    topic_ids: set = field(default_factory=set)


def placeholder_author(site: str):
    """The inactive account imported posts belong to (one per site)."""
    user_model = get_user_model()
    email = f"import+{slugify(site)}@invalid.example"
    user, created = user_model.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            # Display names are unique: a member may already be called "<site> (imported)".
            "display_name": user_model.objects.free_display_name(f"{site} (imported)"),
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _images_to_links(body: str) -> str:
    def link(match):
        attrs = dict(ATTRIBUTE.findall(match.group(0)))
        src = attrs.get("src", "")
        label = html.escape(html.unescape(attrs.get("alt", "")) or "image")
        return f'<a href="{html.escape(html.unescape(src))}">[{label}]</a>' if src else ""

    return IMAGE.sub(link, body)


def _plain_text(body_html: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h\d|pre|blockquote)>", "\n", body_html)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _tags(value: str) -> list[str]:
    value = value or ""
    names = re.findall(r"<([^<>]+)>", value) if "<" in value else value.strip("|").split("|")
    return [name.strip() for name in names if name.strip()]


def _date(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _set_fields(instance, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


class StackExchangeImporter:
    def __init__(self, *, category: Category, site: str, language: str = "en"):
        #: Saved, or unsaved to be created with the first batch.
        self.category = category
        self.site = site
        self.source = f"stackexchange:{site}"[:60]
        self.language = language
        #: The placeholder account, made with the first batch.
        self.author = None
        self.result = ImportResult()
        #: question source id -> accepted answer source id
        self.accepted = {}
        #: answers whose question was not imported (yet): question source id -> [row attributes]
        self.pending = {}
        self._tags = {}

    def rows(self, handle, progress=None):
        """Each row's attributes, streaming; ``progress(bytes_read)`` is told how far it got."""
        try:
            # defusedxml: a dump is a file from elsewhere; entity expansion and DTDs are refused.
            for _event, element in iterparse(handle, events=("end",)):
                if element.tag == "row":
                    yield dict(element.attrib)
                    if progress is not None:
                        progress(handle.tell())
                element.clear()
        except (ParseError, DefusedXmlException) as error:
            raise DumpUnreadable(f"Not a readable Posts.xml: {error}") from None

    def run(self, handle, progress=None) -> ImportResult:
        batch = []
        for row in self.rows(handle, progress):
            batch.append(row)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        orphans = [row for rows in self.pending.values() for row in rows]
        self.pending = {}
        self._write(orphans, final=True)
        self._write_accepted()
        return self.result

    def _write(self, rows, *, final=False):
        if not rows:
            return
        with transaction.atomic():
            if self.author is None:
                self._prepare()
            for row in rows:
                kind = row.get("PostTypeId")
                if kind == QUESTION:
                    self._question(row)
                elif kind == ANSWER:
                    self._answer(row, final=final)
                else:
                    self.result.skipped += 1

    def _prepare(self):
        """Write what every row needs, in the first batch's transaction: the category if it is new
        (ordered after every other), and the placeholder author."""
        if self.category.pk is None:
            last = Category.objects.aggregate(last=Max("position"))["last"]
            self.category, self.result.created_category = Category.objects.get_or_create(
                slug=self.category.slug,
                defaults={"name": self.category.name, "language": self.category.language, "position": (last or 0) + 1},
            )
        self.author = placeholder_author(self.site)

    def _body(self, row) -> tuple[str, str]:
        body_html = sanitize_html(_images_to_links(row.get("Body", "")), nofollow=True)
        return body_html, _plain_text(body_html)

    def _author_name(self, row) -> str:
        if row.get("OwnerUserId"):
            return f"Stack Exchange user {row['OwnerUserId']}"
        return (row.get("OwnerDisplayName") or "Stack Exchange user")[:150]

    def _question(self, row):
        source_id = row.get("Id", "")
        title = clean_title(row.get("Title", ""))[:MAX_TITLE_CHARACTERS] or f"Question {source_id}"
        created = _date(row.get("CreationDate"))
        body_html, body_text = self._body(row)
        topic = Topic.objects.filter(source=self.source, source_id=source_id).first()
        values = {
            "title": title,
            "slug": slugify(title, allow_unicode=True)[:200].strip("-") or "topic",
            "category": self.category,
            "language": self.language,
            "view_count": _int(row.get("ViewCount")),
            "created_at": created,
        }
        if topic is None:
            topic = Topic.objects.create(
                source=self.source,
                source_id=source_id,
                author=self.author,
                is_question=True,
                post_count=1,
                last_approved_position=1,
                last_posted_at=created,
                **values,
            )
            Post.objects.create(
                topic=topic,
                author=self.author,
                position=1,
                source=self.source,
                source_id=source_id,
                **self._post_values(row, body_html, body_text, created),
            )
            self.result.created_topics += 1
            self.result.topic_ids.add(topic.pk)
        else:
            post = topic.posts.filter(position=1).first()
            changed = _set_fields(topic, values)
            if changed:
                topic.save()
            if post is not None and _set_fields(post, self._post_values(row, body_html, body_text, created)):
                post.save()
                changed = True
            self.result.updated += changed
            self.result.unchanged += not changed
            if changed:
                self.result.topic_ids.add(topic.pk)
        if self._set_tags(topic, _tags(row.get("Tags", ""))):
            self.result.topic_ids.add(topic.pk)
        if row.get("AcceptedAnswerId"):
            self.accepted[source_id] = row["AcceptedAnswerId"]
        for answer in self.pending.pop(source_id, []):
            self._answer(answer)

    def _post_values(self, row, body_html, body_text, created) -> dict:
        return {
            "body_html": body_html,
            "body_markdown": body_text,
            "score": _int(row.get("Score")),
            "created_at": created,
            "source_author": self._author_name(row),
        }

    def _answer(self, row, *, final=False):
        parent = row.get("ParentId", "")
        topic = Topic.objects.filter(source=self.source, source_id=parent).first()
        if topic is None:
            if final:
                self.result.skipped += 1
            else:
                self.pending.setdefault(parent, []).append(row)
            return
        created = _date(row.get("CreationDate"))
        body_html, body_text = self._body(row)
        values = self._post_values(row, body_html, body_text, created)
        post = Post.objects.filter(source=self.source, source_id=row.get("Id", "")).first()
        if post is None:
            position = (topic.posts.aggregate(last=Max("position"))["last"] or 0) + 1
            Post.objects.create(
                topic=topic, author=self.author, position=position, source=self.source, source_id=row["Id"], **values
            )
            Topic.objects.filter(pk=topic.pk).update(
                post_count=position, last_approved_position=position, reply_count=F("reply_count") + 1
            )
            if created > topic.last_posted_at:
                Topic.objects.filter(pk=topic.pk).update(last_posted_at=created)
            self.result.created_posts += 1
        elif _set_fields(post, values):
            post.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
            return
        self.result.topic_ids.add(topic.pk)

    def _set_tags(self, topic, names) -> bool:
        tags = []
        for name in names[:10]:
            slug = slugify(name, allow_unicode=True)[:60]
            if not slug:
                continue
            if slug not in self._tags:
                self._tags[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:60]})[0]
            tags.append(self._tags[slug])
        if {tag.pk for tag in tags} != set(topic.tags.values_list("pk", flat=True)):
            topic.tags.set(tags)
            return True
        return False

    def _write_accepted(self):
        answers = dict(
            Post.objects.filter(source=self.source, source_id__in=list(self.accepted.values())).values_list(
                "source_id", "pk"
            )
        )
        with transaction.atomic():
            for question_id, answer_id in self.accepted.items():
                if answer_id not in answers:
                    continue
                changed = Topic.objects.filter(source=self.source, source_id=question_id).exclude(
                    accepted_answer_id=answers[answer_id]
                )
                ids = list(changed.values_list("pk", flat=True))
                if ids:
                    changed.update(accepted_answer_id=answers[answer_id])
                    self.result.topic_ids.update(ids)

    def index(self) -> None:
        """Bring the search index up to date for every topic this import created or changed."""
        ids = sorted(self.result.topic_ids)
        for start in range(0, len(ids), BATCH):
            index_topics(ids[start : start + BATCH])
