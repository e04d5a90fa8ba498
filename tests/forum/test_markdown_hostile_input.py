"""Hostile input is neutralised or refused: the known Markdown XSS bypasses, huge posts, NUL
bytes, deep nesting and bidi tricks, through the one renderer every post goes through."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from forum.markdown import MAX_BODY_CHARACTERS, MAX_NESTING, clean_body, clean_title, render, sanitize_html

XSS_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](java&#09;script:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](\njavascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="java\tscript:alert(1)">x</a>',
    '![x](x"onerror="alert(1))',
    "![x](javascript:alert(1))",
    '[x](https://example.com "title" onmouseover="alert(1)")',
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: https://example.com "a" onclick="alert(1)"',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<script>alert(1)</script>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body { display: none }</style>",
    "<form action=https://evil.example><input name=password></form>",
    "<object data=x></object><embed src=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](vbscript:msgbox(1))",
    "<a href=# onclick=alert(1)>x</a>",
    "**<b onmouseover=alert(1)>bold</b>**",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!-- --><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "<<script>script>alert(1)<</script>/script>",
    "[x](//evil.example/%0ajavascript:alert(1))",
]

SAFE_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "hr",
             "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del"}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "src", "alt", "rel", "class", "start"}
SAFE_URL = re.compile(r"^(https?://|mailto:|/|#|[\w.-]+(/|$))", re.IGNORECASE)


class _Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text is only text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def dangers(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.elements:
        if tag not in SAFE_TAGS:
            found.append(f"tag <{tag}>")
        for name, value in attrs.items():
            if name not in SAFE_ATTRIBUTES:
                found.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and not SAFE_URL.match((value or "").strip()):
                found.append(f"url {value!r}")
            if name == "src" and not (value or "").startswith("/media/forum/"):
                found.append(f"foreign image {value!r}")
    return found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_known_markdown_xss_payload_renders_harmless(payload):
    html = render(clean_body(payload))
    assert dangers(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_known_payload_as_imported_html_is_sanitized_too(payload):
    html = sanitize_html(payload)
    assert dangers(html) == [], html


def test_raw_html_is_shown_as_text_not_stripped_silently():
    assert render("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


def test_ordinary_markdown_keeps_its_formatting():
    html = render(clean_body("# Steps\n\n1. **Grind** the *beans*\n2. Run `brew`\n\n> quoted\n\n```\ncode\n```\n\n---"))
    assert "<h3>Steps</h3>" in html
    assert "<ol>" in html and "<strong>Grind</strong>" in html and "<em>beans</em>" in html
    assert "<code>brew</code>" in html and "<blockquote>" in html and "<pre><code>code" in html and "<hr>" in html


def test_links_are_user_generated_content_and_nofollow_until_trusted():
    untrusted = render("[site](https://example.com)", nofollow=True)
    trusted = render("[site](https://example.com)", nofollow=False)
    assert 'rel="nofollow ugc noopener"' in untrusted
    assert 'rel="ugc noopener"' in trusted


def test_images_show_only_from_our_own_attachments():
    assert 'src="/media/forum/2026/01/abc.png"' in render("![a](/media/forum/2026/01/abc.png)")
    assert "src=" not in render("![a](https://tracker.example/pixel.gif)")
    assert "src=" not in render("![a](/media/forum/../../secret.png)")
    assert "src=" not in render("![a](/media/other/abc.png)")


def test_a_mention_of_a_known_member_links_their_page():
    members = {"casey customer": {"name": "Casey Customer", "url": "/en/forum/u/7/"}}
    html = render("Thanks @[Casey Customer] and @nobody", members=members)
    assert '<a class="mention" href="/en/forum/u/7/"' in html
    assert "@nobody" in html and html.count("<a") == 1


def test_a_mention_inside_code_is_left_alone():
    members = {"casey": {"name": "Casey", "url": "/en/forum/u/7/"}}
    assert "mention" not in render("`@Casey`", members=members)


def test_an_email_address_is_not_a_mention():
    members = {"example.com": {"name": "example.com", "url": "/en/forum/u/7/"}}
    assert "mention" not in render("write to me@example.com", members=members)


def test_headings_start_below_the_page_title():
    assert render("# Big\n\n## Smaller") == "<h3>Big</h3>\n<h4>Smaller</h4>"


def test_a_huge_post_is_refused_with_its_length_and_the_limit():
    with pytest.raises(ValidationError) as refused:
        clean_body("a" * (MAX_BODY_CHARACTERS + 1))
    assert "20,000" in refused.value.messages[0] and "20,001" in refused.value.messages[0]


def test_a_nul_byte_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as refused:
        clean_body("hello\x00world")
    assert "NUL" in refused.value.messages[0]


def test_deeply_nested_quotes_are_refused():
    with pytest.raises(ValidationError) as refused:
        clean_body(">" * 5000 + " deep")
    assert "nested" in refused.value.messages[0]


def test_deeply_nested_lists_are_refused():
    text = "\n".join("    " * depth + "- item" for depth in range(MAX_NESTING + 3))
    with pytest.raises(ValidationError):
        render(clean_body(text))


def test_quotes_nested_within_the_limit_render():
    assert render(clean_body("> > > three deep")).count("<blockquote>") == 3


def test_bidi_override_controls_are_removed_from_titles_and_bodies():
    assert clean_title("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert "\u202e" not in clean_body("see \u202etxt.exe\u2066x\u2069")
    # RLM and LRM, which Persian and Hebrew writers use, stay.
    assert "\u200f" in clean_body("שלום\u200f world")


def test_control_characters_are_dropped_but_newlines_kept():
    assert clean_body("a\x07b\r\nc") == "ab\nc"


@pytest.mark.parametrize(
    "payload", ["[" * 5000, "*" * 10000, "_" * 10000, "`" * 10000, "<" * 10000, "|" * 5000, "![" * 3000]
)
def test_pathological_markdown_renders_without_error(payload):
    render(clean_body(payload))
