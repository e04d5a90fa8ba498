"""Markdown article bodies as StreamField blocks (kb.blocks), safely.

The Markdown is CommonMark with GitHub's tables (markdown-it-py), the dialect of
shared/corpora/gnome-help-structured. Each top-level piece becomes the block that says what it
is:

* ``##`` headings -> heading blocks (``#`` and ``##`` are sections, deeper ones subsections);
* a numbered list -> a steps block, one rich-text step per item (nested lists, notes and code
  stay inside their step);
* a note, ``> **Note:** …`` (also Tip, Warning, and Important -> warning, Advanced -> note; a
  title may follow the label, ``> **Tip: Quick access**``) -> a callout block of that kind; a
  note inside a list item becomes a paragraph of that item with the label in bold, in the
  article's language; a quote without a label stays text;
* fenced and indented code -> a code block (inside a list item: lines of inline code);
* a table -> a table block with rich-text cells;
* paragraphs, bullet lists (nested) and raw HTML -> one rich-text block per run of them.

Every piece of HTML goes through an allow-list (nh3): only the tags rich text may hold, ``href``
as the only attribute, and links only to http, https and mailto addresses or to relative paths.
What the allow-list removes (scripts, event handlers, ``javascript:`` links, images, styles) is
counted and reported, never silently kept.

Links stay as written (``<a href="other.md#section">``) until the importer resolves them
(:func:`rewrite_links`): it turns a link to another article's file into a Wagtail page link.
"""

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import nh3
from django.utils.translation import gettext, override
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Tags a rich-text paragraph, step or callout may keep (the editor's features, as stored HTML).
RICH_TEXT_TAGS = {"p", "b", "i", "strong", "em", "a", "ol", "ul", "li", "code", "br", "sub", "sup"}
#: Tags a table cell may keep (kb.blocks.TABLE_CELL_FEATURES).
TABLE_CELL_TAGS = {"b", "i", "strong", "em", "a", "code", "br", "sub", "sup"}
#: Link schemes kept; any other (javascript:, data:, vbscript:, file:, irc:) loses its link.
URL_SCHEMES = {"http", "https", "mailto"}
#: The CodeBlock's language field is at most this long; longer fence labels are cut.
CODE_LANGUAGE_LENGTH = 40
HEADING_LENGTH = 200
#: A note's label (English, as the corpus writes it in every language) -> callout kind.
CALLOUT_KINDS = {"note": "note", "tip": "tip", "warning": "warning", "important": "warning", "advanced": "note"}
CALLOUT_LABEL = re.compile(r"^\s*(" + "|".join(CALLOUT_KINDS) + r")\s*:\s*(.*?)\s*$", re.IGNORECASE | re.DOTALL)
#: An allow-listed link as nh3 writes it: ``href`` is the only attribute left, double-quoted.
SANITIZED_LINK = re.compile(r'<a(?: href="([^"]*)")?>(.*?)</a>', re.DOTALL)
#: Elements the allow-list removes that a report names: active or embedded content, not formatting
#: (a heading inside a list item, say, loses its tag and keeps its text, unreported).
REPORTED_TAGS = {
    "applet", "audio", "base", "button", "embed", "form", "frame", "frameset", "iframe", "img", "input", "link",
    "math", "meta", "object", "script", "select", "source", "style", "svg", "template", "textarea", "video",
}  # fmt: skip
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
#: Nesting (quotes, lists, list items) past this depth is refused: markdown-it stops parsing at
#: its own limit (PARSER_NESTING) and would silently drop what is deeper.
MAX_DEPTH = 32
PARSER_NESTING = MAX_DEPTH + 8
#: A code fence's language: the first word of its info string.
CODE_LANGUAGE = re.compile(r"[\w+#.-]+")


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": PARSER_NESTING}).enable("table")
    # markdown-it leaves a javascript: link as literal Markdown; here every link reaches the
    # allow-list, which removes the unsafe ones and reports them.
    parser.validateLink = lambda url: True
    parser.add_render_rule("fence", _render_nested_code)
    parser.add_render_rule("code_block", _render_nested_code)
    return parser


def _render_nested_code(self, tokens, index, options, env) -> str:
    """Code inside a list item or a note: lines of inline code, which rich text can hold.

    (Top-level code never gets here: it becomes a code block.) Leading spaces are kept as
    no-break spaces, so indented output still lines up.
    """
    lines = tokens[index].content.rstrip("\n").split("\n")
    shown = []
    for line in lines:
        stripped = line.lstrip(" ")
        indent = "\u00a0" * (len(line) - len(stripped))
        shown.append(f"<code>{indent}{html.escape(stripped)}</code>" if line.strip() else "")
    return "<p>" + "<br/>".join(shown) + "</p>\n"


PARSER = _parser()


class MarkdownRefused(ValueError):
    """A body the converter will not import; the message says why in one line."""


def anchor_key(text: str) -> str:
    """How a link's #anchor and a heading compare: letters and digits only, case-folded.

    Anchors are written GitHub's way (words joined by hyphens, punctuation dropped, combining
    marks kept, the zero-width non-joiner dropped); comparing only letters and digits matches
    them to their heading whatever those details.
    """
    folded = unicodedata.normalize("NFKC", unquote(text)).casefold()
    return "".join(character for character in folded if character.isalnum())


@dataclass
class Link:
    """Where a link in an article body points, as written."""

    #: "web" (http, https, mailto), "article" (a relative .md file), "section" (#anchor of the
    #: same article) or "other" (anything else: a relative path to a non-article file).
    kind: str
    target: str = ""
    anchor: str = ""


def classify_link(href: str) -> Link:
    parts = urlsplit(href)
    if parts.scheme:
        return Link("web", href) if parts.scheme.lower() in URL_SCHEMES else Link("other", href)
    if not parts.path and parts.fragment:
        return Link("section", anchor=unquote(parts.fragment))
    path = unquote(parts.path)
    if path and not path.startswith("/") and not parts.netloc and path.lower().endswith(".md"):
        return Link("article", path, unquote(parts.fragment))
    return Link("other", href)


def rewrite_links(fragment: str, opening_tag: Callable[[str], str | None]) -> str:
    """Rewrite each link of sanitized HTML: ``opening_tag(href)`` gives the new ``<a …>`` tag, or
    None to keep the link's text without the link (an ``<a>`` the allow-list emptied has href "")."""

    def replace(match: re.Match) -> str:
        opening = opening_tag(html.unescape(match.group(1) or ""))
        return f"{opening}{match.group(2)}</a>" if opening else match.group(2)

    return SANITIZED_LINK.sub(replace, fragment)


def map_rich_text(blocks: list[dict], change: Callable[[str], str]) -> list[dict]:
    """The blocks with ``change`` applied to every rich-text value (paragraphs, steps, callouts, cells)."""
    changed = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            value = change(value)
        elif kind == "steps":
            value = {**value, "steps": [change(step) for step in value["steps"]]}
        elif kind == "callout":
            value = {**value, "text": change(value["text"])}
        elif kind == "table":
            value = {**value, "rows": [{"values": [change(cell) for cell in row["values"]]} for row in value["rows"]]}
        changed.append({**block, "value": value})
    return changed


def section_headings(blocks: list[dict]) -> list[str]:
    """The texts of the h2 headings: the sections other articles may link into."""
    headings = (block["value"] for block in blocks if block["type"] == "heading")
    return [heading["text"] for heading in headings if heading["level"] == "h2"]


class _RemovedHtml(HTMLParser):
    """Counts what the allow-list is about to remove from a fragment, for the import report."""

    def __init__(self, counts: Counter):
        super().__init__(convert_charrefs=True)
        self.counts = counts

    def handle_starttag(self, tag, attrs):
        if tag in REPORTED_TAGS:
            self.counts[f"<{tag}>"] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.counts["event-handler attribute"] += 1
            elif name == "href" and tag == "a":
                scheme = urlsplit("".join((value or "").split())).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.counts[f"{scheme}: link"] += 1
            elif name == "style":
                self.counts["style attribute"] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


@dataclass
class ConvertedBody:
    #: Raw StreamField data: ``{"type", "value"}`` dicts, links not resolved yet.
    blocks: list[dict] = field(default_factory=list)
    #: What the allow-list removed: "<script>" -> 2, "javascript: link" -> 1, …
    removed: Counter = field(default_factory=Counter)


class _Converter:
    def __init__(self, language: str):
        self.language = language
        self.body = ConvertedBody()
        self.env: dict = {}
        self.pending_html: list[str] = []

    # --- sanitizing -------------------------------------------------------------------------
    def clean(self, fragment: str, tags: set[str] = RICH_TEXT_TAGS) -> str:
        scanner = _RemovedHtml(self.body.removed)
        scanner.feed(fragment)
        scanner.close()
        cleaned = nh3.clean(
            fragment, tags=tags, attributes={"a": {"href"}, "*": set()}, url_schemes=URL_SCHEMES, link_rel=None
        )
        return EMPTY_PARAGRAPH.sub("", cleaned).strip()

    def render(self, tokens: list[Token]) -> str:
        return PARSER.renderer.render(tokens, PARSER.options, self.env)

    # --- blocks -----------------------------------------------------------------------------
    def add(self, kind: str, value) -> None:
        self.flush_text()
        self.body.blocks.append({"type": kind, "value": value})

    def flush_text(self) -> None:
        if self.pending_html:
            text = self.clean("".join(self.pending_html))
            self.pending_html = []
            if _has_text(text):
                self.body.blocks.append({"type": "paragraph", "value": text})

    def convert(self, text: str) -> ConvertedBody:
        tokens = PARSER.parse(text, self.env)
        if tokens and max(token.level for token in tokens) > MAX_DEPTH:
            raise MarkdownRefused(f"nested deeper than {MAX_DEPTH} levels (quotes and lists)")
        self.mark_callouts(tokens)
        for group in _groups(tokens):
            first = group[0]
            if first.type == "heading_open":
                self.heading(first, group[1])
            elif first.type == "ordered_list_open":
                self.steps(group)
            elif first.type == "blockquote_open" and first.meta.get("callout"):
                self.callout(group)
            elif first.type in ("fence", "code_block"):
                self.code(first)
            elif first.type == "table_open":
                self.table(group)
            elif first.type == "hr":
                self.flush_text()
            else:  # paragraphs, bullet lists, quotes without a label, raw HTML
                self.pending_html.append(self.render(group))
        self.flush_text()
        return self.body

    def heading(self, opening: Token, inline: Token) -> None:
        text = " ".join(_plain_text(inline.children or []).split())[:HEADING_LENGTH]
        if text:
            self.add("heading", {"text": text, "level": "h2" if opening.tag in ("h1", "h2") else "h3"})

    def steps(self, group: list[Token]) -> None:
        steps = []
        for item in _groups(group[1:-1]):
            inner = item[1:-1]
            for token in inner:
                # A tight list hides its paragraphs; a step is block-level rich text (<p>…</p>).
                if token.type in ("paragraph_open", "paragraph_close") and token.level == item[0].level + 1:
                    token.hidden = False
            step = self.clean(self.render(inner))
            if _has_text(step):
                steps.append(step)
        if steps:
            self.add("steps", {"steps": steps})

    def callout(self, group: list[Token]) -> None:
        kind, title = group[0].meta["callout"], group[0].meta["title"]
        heading = f"<p><b>{html.escape(title)}</b></p>" if title else ""
        text = self.clean(heading + self.render(group[1:-1]))
        if _has_text(text):
            self.add("callout", {"kind": kind, "text": text})

    def code(self, token: Token) -> None:
        language = CODE_LANGUAGE.match(token.info.strip()) if token.type == "fence" else None
        self.add(
            "code",
            {
                "language": language.group(0)[:CODE_LANGUAGE_LENGTH] if language else "",
                "code": token.content.rstrip("\n"),
            },
        )

    def table(self, group: list[Token]) -> None:
        headings, rows, row, in_head = [], [], None, False
        for index, token in enumerate(group):
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                if not in_head:
                    rows.append(row)
            elif token.type in ("th_open", "td_open"):
                inline = group[index + 1]
                children = inline.children or []
                if in_head:
                    headings.append(" ".join(_plain_text(children).split()))
                else:
                    cell = self.clean(PARSER.renderer.renderInline(children, PARSER.options, self.env), TABLE_CELL_TAGS)
                    row.append(f"<p>{cell}</p>" if _has_text(cell) else "")
        width = max([len(headings), *(len(row) for row in rows)])
        if not width or not rows:
            return
        headings += [""] * (width - len(headings))
        self.add(
            "table",
            {
                "columns": [{"type": "text", "heading": heading} for heading in headings],
                "rows": [{"values": row + [""] * (width - len(row))} for row in rows],
                "caption": "",
            },
        )

    # --- notes ------------------------------------------------------------------------------
    def mark_callouts(self, tokens: list[Token]) -> None:
        """Find every quote that starts with a note's label and take the label out of its text.

        A top-level note becomes a callout block, so its label goes (the block shows its kind)
        and a title after it becomes the callout's first line. A note inside a list item stays
        text: its label is rewritten in the article's language.
        """
        for index, token in enumerate(tokens):
            if token.type != "blockquote_open":
                continue
            inline = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
            children = inline.children if inline is not None else None
            # markdown-it starts a paragraph that opens with emphasis with an empty text token.
            while children and children[0].type == "text" and not children[0].content.strip():
                children = children[1:]
            if not children or children[0].type != "strong_open":
                continue
            close = next((i for i, child in enumerate(children) if child.type == "strong_close"), None)
            if close is None:
                continue
            label = CALLOUT_LABEL.match(_plain_text(children[1:close]))
            if label is None:
                continue
            kind, title = CALLOUT_KINDS[label.group(1).lower()], " ".join(label.group(2).split())
            if token.level == 0:
                token.meta = {"callout": kind, "title": title}
                rest = children[close + 1 :]
                if rest and rest[0].type == "text":
                    rest[0].content = rest[0].content.lstrip()
                inline.children = rest
            else:
                with override(self.language):
                    shown = gettext({"note": "Note", "tip": "Tip", "warning": "Warning"}[kind])
                shown = f"{shown}: {title}" if title else f"{shown}:"
                inline.children = [children[0], Token("text", "", 0, content=shown), *children[close:]]


def markdown_to_blocks(text: str, *, language: str = "en") -> ConvertedBody:
    """Convert a Markdown body to raw StreamField data; see the module docstring.

    Raises MarkdownRefused for a body nested deeper than MAX_DEPTH.
    """
    return _Converter(language).convert(text)


def _groups(tokens: list[Token]) -> Iterator[list[Token]]:
    """The tokens as top-level pieces: an opening token with all up to its close, or one token."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index
        if token.nesting == 1:
            end = index + 1
            while not (tokens[end].nesting == -1 and tokens[end].level == token.level):
                end += 1
        yield tokens[index : end + 1]
        index = end + 1


def _plain_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts)


def _has_text(fragment: str) -> bool:
    """Whether sanitized HTML shows anything (an empty ``<p></p>`` does not)."""
    return bool(html.unescape(re.sub(r"<[^>]*>", "", fragment)).strip())
