"""Text in either direction on one page: each block of rendered rich text decides its own.

``dir="auto"`` takes an element's direction from its first strong character, so on the wrapper
of a rich-text field it decides once for every paragraph in it: an English paragraph under a
Persian one is laid out right to left and its full stop lands at the wrong end. Giving every
block-level element of the HTML its own ``dir="auto"`` lets each paragraph, list item, heading
and cell decide for itself. The attribute, rather than CSS ``unicode-bidi: plaintext``, changes
the element's real direction: ``:dir()``, ``text-align: start``, list markers, padding and the
side a quote's border is on all follow it, and so do feeds, e-mails and screen readers that
never see the stylesheet.
"""

from html.parser import HTMLParser

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

#: Elements that hold a run of text of their own: each gets ``dir="auto"`` unless it has a ``dir``.
BLOCK_TAGS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote td th dt dd caption figcaption summary".split())


class _AutoDirection(HTMLParser):
    """Copies HTML as it was written, adding ``dir="auto"`` to the opening tags of blocks.

    A tokenizer rather than a regular expression: ``<p>`` inside an attribute value or a
    comment is text, not a tag, and must stay as it is."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.parts = []

    def _start(self, tag, attrs):
        raw = self.get_starttag_text()
        if tag in BLOCK_TAGS and not any(name == "dir" for name, _value in attrs):
            end = -2 if raw.endswith("/>") else -1
            raw = f'{raw[:end].rstrip()} dir="auto"{raw[end:]}'
        self.parts.append(raw)

    handle_starttag = _start
    handle_startendtag = _start

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(data)

    def handle_entityref(self, name):
        self.parts.append(f"&{name};")

    def handle_charref(self, name):
        self.parts.append(f"&#{name};")

    def handle_comment(self, data):
        self.parts.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.parts.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.parts.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.parts.append(f"<?{data}>")


def with_auto_direction(html) -> str:
    """`html` (escaped first unless it is safe) with ``dir="auto"`` on each block-level element."""
    parser = _AutoDirection()
    parser.feed(str(conditional_escape(html)))
    parser.close()
    return mark_safe("".join(parser.parts))  # noqa: S308 (the input was safe or escaped; only dir="auto" is added)
