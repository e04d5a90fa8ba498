"""The one renderer of forum text: Markdown in, sanitized HTML out (at save time, never at display).

* Raw HTML in Markdown is not interpreted: ``<script>`` is shown as the text "<script>", not
  parsed and then stripped. Everything Markdown itself makes then goes through an nh3
  allow-list (below), which also drops ``javascript:``, ``data:`` and ``vbscript:`` URLs however
  they are spelt (entities, mixed case, tabs), event-handler attributes and unknown tags.
* Images are allowed only from our own attachment URLs (``MEDIA_URL`` + ``forum/``).
* Links always carry ``rel="ugc noopener"``, and also ``nofollow`` for members who are not yet
  trusted (see forum.services.reputation.is_trusted).
* ``@[Display Name]`` or ``@Name`` mentions an existing active member by display name and links
  to their forum page; a name that matches nobody stays plain text. Display names are unique up to
  case and look-alike letters (accounts.models), so a mention reaches exactly one member.
* Quoting another post is plain Markdown: the topic page's Quote button inserts
  ``> **Name** [wrote](/forum/p/<id>/):`` followed by the quoted lines, so a quote is a
  blockquote with a link to the post it came from, and needs no syntax of its own.
* Headings start at level 3 (``#`` becomes ``<h3>``): the page owns h1 and h2.

Hostile input is refused with a clear message (:func:`clean_body`): more than
``MAX_BODY_CHARACTERS``, NUL bytes, or quotes and lists nested deeper than ``MAX_NESTING``.
Rendering costs time in proportion to the text, whatever its shape (:class:`_BoundedParsing`):
Python-Markdown reads ahead from every ``[`` to its ``]`` and from every ``](`` to its ``)``, and
re-reads a block after each heading split off it, so 19,990 unclosed ``[`` (a post under the
length limit) used to cost a minute of CPU. A ``[`` whose text nests brackets deeper than
``MAX_LINK_BRACKET_DEPTH``, or a link destination that does not close within
``MAX_LINK_DESTINATION_CHARACTERS`` or after the post has spent ``LINK_DESTINATION_BUDGET``, is
shown as the text it is, not as a link; blocks read after ``BLOCK_READING_BUDGET`` is spent are
plain paragraphs.
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
from markdown import blockprocessors, inlinepatterns
from markdown.extensions.tables import TableProcessor

from sitewide.text import clean_line, clean_text

MAX_BODY_CHARACTERS = 20_000
MAX_TITLE_CHARACTERS = 200
#: Blockquotes and lists may nest this deep, no deeper.
MAX_NESTING = 8
#: At most this many distinct members are mentioned (and linked) in one post.
MAX_MENTIONS = 20
#: Link text may nest square brackets this deep ("[see [note [1]]](url)" is three); a "[" whose
#: text nests deeper is plain text. Finding a link's "]" then reads each character at most this
#: many times, however many "[" the post has.
MAX_LINK_BRACKET_DEPTH = 8
#: A link's "(destination "title")" is looked for within this many characters after its "]".
MAX_LINK_DESTINATION_CHARACTERS = 2_048
#: Characters one post may have read in all while looking for link destinations (ten times the
#: longest post: a link costs its destination, a "](" that leads nowhere what was read in vain);
#: past the budget, "](" is text.
LINK_DESTINATION_BUDGET = 10 * MAX_BODY_CHARACTERS
#: Characters of blocks the block parser may look at in one post, counting again what it re-reads
#: after splitting a heading or rule off a block; past the budget, the rest is plain paragraphs.
BLOCK_READING_BUDGET = 100 * MAX_BODY_CHARACTERS

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
    return clean_line(title)


def clean_body(text: str) -> str:
    """The text as it is stored, or ValidationError with a message the writer can act on."""
    text = str(text or "")
    if "\x00" in text:
        raise ValidationError(_("The text contains a NUL character. Remove it and try again."), code="nul")
    text = clean_text(text)
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


def _bracketed_text(depth: int) -> re.Pattern:
    """What follows a "[" up to its own "]", brackets nesting at most ``depth`` deep (the "[" is one).

    Possessive quantifiers never backtrack, so a match or a failure reads each character once
    (Python-Markdown's own loop, by contrast, reads on to the end of the paragraph for a "[" that
    never closes, and does that again for every such "[").
    """
    inner = r"[^\[\]]*+"
    for _level in range(depth - 1):
        inner = rf"(?:[^\[\]]++|\[{inner}\])*+"
    return re.compile(inner + r"\]")


BRACKETED_TEXT = _bracketed_text(MAX_LINK_BRACKET_DEPTH)


class _LinkBudget:
    """What one rendering may still spend on reading link destinations."""

    def __init__(self, characters: int):
        self.remaining = characters


class _BoundedLinkReading:
    """Python-Markdown's link, image and reference processors, reading linear amounts of text.

    ``getText`` finds the closing "]" with :data:`BRACKETED_TEXT` (same answer as
    Python-Markdown's loop whenever the brackets nest at most MAX_LINK_BRACKET_DEPTH deep), and
    ``getLink`` reads at most MAX_LINK_DESTINATION_CHARACTERS, charged to the rendering's budget.
    """

    def __init__(self, pattern: str, md: markdown.Markdown, budget: _LinkBudget):
        super().__init__(pattern, md)
        self.budget = budget

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802 - Markdown's API
        match = BRACKETED_TEXT.match(data, index)
        if match is None:
            return "", index, False
        return data[index : match.end() - 1], match.end(), True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802 - Markdown's API
        allowed = min(MAX_LINK_DESTINATION_CHARACTERS, self.budget.remaining)
        if allowed <= 0:
            return "", None, index, False
        window = data if len(data) - index <= allowed else data[: index + allowed]
        href, title, end, handled = super().getLink(window, index)
        # Charged what Python-Markdown's loop read: up to the ")" that ends the link, or the whole
        # window when it found no end or, having taken a quote for a title's, went on to the end
        # and settled for an earlier ")" (such a destination keeps that quote).
        read_to_the_end = not handled or (title is None and ('"' in href or "'" in href))
        self.budget.remaining -= (len(window) if read_to_the_end else end) - index
        return href, title, end, handled


class _BoundedReference(_BoundedLinkReading, inlinepatterns.ReferenceInlineProcessor):
    pass


class _BoundedLink(_BoundedLinkReading, inlinepatterns.LinkInlineProcessor):
    pass


class _BoundedImage(_BoundedLinkReading, inlinepatterns.ImageInlineProcessor):
    pass


class _BoundedImageReference(_BoundedLinkReading, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _BoundedShortReference(_BoundedLinkReading, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _BoundedShortImageReference(_BoundedLinkReading, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


class _BlockBudget(blockprocessors.BlockProcessor):
    """The first block processor: charges every block the parser looks at to the post's budget,
    and once it is spent turns each remaining block into a plain paragraph.

    Python-Markdown tries its block processors again on what is left of a block after each
    heading or rule it splits off, and several of them read the whole rest, so 10,000 lines of
    "-" (setext headings) cost seconds. Normal posts are read a few times over at most.
    """

    def __init__(self, parser, characters: int):
        super().__init__(parser)
        self.remaining = characters

    def test(self, parent, block: str) -> bool:
        self.remaining -= len(block)
        return self.remaining < 0

    def run(self, parent, blocks: list[str]):
        return self.parser.blockprocessors["paragraph"].run(parent, blocks)


class _QuickTable(TableProcessor):
    """The tables extension's processor, asked first about a block's first two lines only.

    Its test strips every line of the block, and runs again on what is left of a block after each
    heading split off it; the first two lines decide, except that a one-column table needs a pipe
    on every line, which only a block that passes on two lines is then checked for.
    """

    def test(self, parent, block: str) -> bool:
        first_two_lines = "\n".join(block.split("\n", 2)[:2])
        return super().test(parent, first_two_lines) and super().test(parent, block)


class _BoundedParsing(markdown.Extension):
    """Bounds the reading Python-Markdown does: the block budget, and each processor that reads
    "[text]" and "(destination)" replaced by one that reads linear amounts."""

    #: Name, pattern and priority as markdown.inlinepatterns.build_inlinepatterns registers them.
    LINK_PROCESSORS = (
        ("reference", _BoundedReference, inlinepatterns.REFERENCE_RE, 170),
        ("link", _BoundedLink, inlinepatterns.LINK_RE, 160),
        ("image_link", _BoundedImage, inlinepatterns.IMAGE_LINK_RE, 150),
        ("image_reference", _BoundedImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 140),
        ("short_reference", _BoundedShortReference, inlinepatterns.REFERENCE_RE, 130),
        ("short_image_ref", _BoundedShortImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 125),
    )

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # Above every block processor (Python-Markdown's highest is "empty", 100), so it sees each block first.
        md.parser.blockprocessors.register(_BlockBudget(md.parser, BLOCK_READING_BUDGET), "forum_budget", 200)
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_QuickTable(md.parser, table.config), "table", 75)
        budget = _LinkBudget(LINK_DESTINATION_BUDGET)
        for name, processor, pattern, priority in self.LINK_PROCESSORS:
            md.inlinePatterns.register(processor(pattern, md, budget), name, priority)


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
        extensions=["fenced_code", "tables", "sane_lists", _BoundedParsing(), _MentionExtension(members or {})],
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
