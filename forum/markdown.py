"""The one renderer of forum text: Markdown in, sanitized HTML out (at save time, never at display).

* Raw HTML in Markdown is not interpreted: ``<script>`` is shown as the text "<script>", not
  parsed and then stripped. Everything Markdown itself makes then goes through an nh3
  allow-list (below), which also drops ``javascript:``, ``data:`` and ``vbscript:`` URLs however
  they are spelt (entities, mixed case, tabs), event-handler attributes and unknown tags.
* Images are allowed only from our own attachment URLs (``MEDIA_URL`` + ``forum/``).
* Links always carry ``rel="ugc noopener"``, and also ``nofollow`` for members who are not yet
  trusted (see forum.services.reputation.is_trusted).
* ``@[Display Name]`` or ``@Name`` mentions an existing active member by display name and links
  to their forum page; a name that matches nobody (or more than one member) stays plain text.
* Quoting another post is plain Markdown: the topic page's Quote button inserts
  ``> **Name** [wrote](/forum/p/<id>/):`` followed by the quoted lines, so a quote is a
  blockquote with a link to the post it came from, and needs no syntax of its own.
* Headings start at level 3 (``#`` becomes ``<h3>``): the page owns h1 and h2.

Hostile input is refused with a clear message (:func:`clean_body`): more than
``MAX_BODY_CHARACTERS``, NUL bytes, or quotes and lists nested deeper than ``MAX_NESTING``.
Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) are
removed from titles and bodies so text cannot reorder the page around it; the marks RLM and
LRM, which Persian and Hebrew writers use, are kept.
"""

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BODY_CHARACTERS = 20_000
MAX_TITLE_CHARACTERS = 200
#: Blockquotes and lists may nest this deep, no deeper.
MAX_NESTING = 8
#: At most this many distinct members are mentioned (and linked) in one post.
MAX_MENTIONS = 20

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Control characters other than tab, newline and carriage return (NUL is refused before this).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
QUOTE_PREFIX = re.compile(r"^(?:[ \t]*>)+")
MENTION = re.compile(r"(?<![\w@])@(?:\[([^\]\n]{1,60})\]|(\w[\w.\-]{0,58}\w|\w))")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
NESTING_TAGS = {"blockquote", "ul", "ol"}


def clean_title(title: str) -> str:
    title = BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", str(title or "").replace("\x00", "")))
    return " ".join(title.split())


def clean_body(text: str) -> str:
    """The text as it is stored, or ValidationError with a message the writer can act on."""
    text = str(text or "")
    if "\x00" in text:
        raise ValidationError(_("The text contains a NUL character. Remove it and try again."), code="nul")
    text = BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    if len(text) > MAX_BODY_CHARACTERS:
        raise ValidationError(
            _("Posts can be at most %(limit)s characters long; this one has %(count)s.")
            % {"limit": f"{MAX_BODY_CHARACTERS:,}", "count": f"{len(text):,}"},
            code="too_long",
        )
    if not text.strip():
        raise ValidationError(_("Write something first."), code="empty")
    for line in text.split("\n"):
        prefix = QUOTE_PREFIX.match(line)
        if prefix and prefix.group(0).count(">") > MAX_NESTING:
            raise _too_deep()
    return text


def _too_deep() -> ValidationError:
    return ValidationError(
        _("Quotes and lists can be nested at most %(depth)s levels deep.") % {"depth": MAX_NESTING}, code="too_deep"
    )


def is_own_attachment_url(url: str) -> bool:
    prefix = f"{settings.MEDIA_URL}forum/"
    return url.startswith(prefix) and ".." not in url and re.fullmatch(r"[\w/.\-]+", url[len(prefix) :]) is not None


def _attribute_filter(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if is_own_attachment_url(value) else None
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() and len(value) < 7 else None
    return value


def _cleaner(rel: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=rel,
        allowed_classes={"a": {"mention"}},
        strip_comments=True,
    )


_CLEANERS = {}


def sanitize_html(html: str, *, nofollow: bool = True) -> str:
    """HTML through the forum's allow-list (also used for imported posts)."""
    rel = "nofollow ugc noopener" if nofollow else "ugc noopener"
    if rel not in _CLEANERS:
        _CLEANERS[rel] = _cleaner(rel)
    return _CLEANERS[rel].clean(html)


class _MentionProcessor(markdown.inlinepatterns.InlineProcessor):
    def __init__(self, pattern, members):
        super().__init__(pattern)
        self.members = members

    def handleMatch(self, match, data):  # noqa: N802 - Markdown's API
        name = match.group(1) or match.group(2)
        member = self.members.get(name.casefold())
        if member is None:
            return None, None, None
        link = ElementTree.Element("a")
        link.set("href", member["url"])
        link.set("class", "mention")
        link.text = f"@{member['name']}"
        return link, match.start(0), match.end(0)


class _MentionExtension(markdown.Extension):
    def __init__(self, members, **kwargs):
        self.members = members
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # Runs before emphasis, so "@[A_Name]" is a mention, not an underscore emphasis.
        md.inlinePatterns.register(_MentionProcessor(MENTION.pattern, self.members), "forum_mention", 175)


def mentioned_names(text: str) -> list[str]:
    names = []
    for match in MENTION.finditer(text or ""):
        name = (match.group(1) or match.group(2)).strip()
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names[:MAX_MENTIONS]


class _DepthCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag in NESTING_TAGS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag in NESTING_TAGS:
            self.depth -= 1


def nesting_depth(html: str) -> int:
    counter = _DepthCounter()
    counter.feed(html)
    return counter.deepest


def _shift_headings(html: str) -> str:
    return re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m[1]}h{min(6, int(m[2]) + 2)}", html)


def render(text: str, *, nofollow: bool = True, members: dict | None = None) -> str:
    """Sanitized HTML for Markdown ``text`` (already through :func:`clean_body`).

    ``members`` maps a casefolded display name to {"name", "url"} for the mentions to link
    (forum.services.mentions builds it with one query).
    """
    md = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", _MentionExtension(members or {})],
        output_format="html",
    )
    # Raw HTML is text, not markup: nothing a writer types becomes a tag except through Markdown.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    try:
        html = md.convert(text)
    except RecursionError as error:
        raise _too_deep() from error
    if nesting_depth(html) > MAX_NESTING:
        raise _too_deep()
    return sanitize_html(_shift_headings(html), nofollow=nofollow)
