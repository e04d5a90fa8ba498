"""Rendering costs time in proportion to the text, whatever its shape: the pathological Markdown
of the hostile-input corpus (tests/fixtures/hostile/forum_markdown, one post at the forum's
maximum length per file; .txt, so the help-article importer's tests leave them alone) renders
in a fraction of a second as the text it is, and ordinary Markdown renders exactly as before.

Before the limits, 19,990 "[" took about a minute of CPU. The time bound below is a guard that
stops such a render early; the tests check what was rendered.
"""

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from forum import markdown
from forum.markdown import MAX_BODY_CHARACTERS, MAX_LINK_BRACKET_DEPTH, clean_body, render
from tests.factories.forum import make_member

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "forum_markdown"
SAMPLES = sorted(CORPUS.glob("*.txt"))
#: Samples in which some real structure renders: emphasis or code between the brackets, links
#: whose destination quotes its own end, references defined between the lines.
STRUCTURED = {
    "brackets_before_emphasis",
    "brackets_between_code_spans",
    "link_destinations_with_an_unclosed_quote",
    "reference_definitions_between_lines",
}
#: Renders of the corpus take a tenth of this; before the limits, from one second to a minute.
CPU_SECONDS_GUARD = 1


class TookTooLong(Exception):
    pass


@contextmanager
def cpu_seconds_at_most(seconds):
    """Fail once the block has used ``seconds`` of CPU time (not wall-clock time, so a busy
    machine does not make it fail), rather than wait for a render that takes a minute."""

    def stop(signum, frame):
        raise TookTooLong

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    except TookTooLong:
        # Raised wherever the renderer was; its traceback says nothing useful.
        pytest.fail(f"Took more than {seconds} s of CPU.", pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def test_the_corpus_holds_posts_at_the_maximum_length():
    assert len(SAMPLES) >= 15
    assert all(
        MAX_BODY_CHARACTERS - 10 <= len(clean_body(sample.read_text())) <= MAX_BODY_CHARACTERS for sample in SAMPLES
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_pathological_markdown_from_the_corpus_renders_quickly(sample):
    text = clean_body(sample.read_text())

    with cpu_seconds_at_most(CPU_SECONDS_GUARD):
        html = render(text)

    assert "<img" not in html
    if sample.stem not in STRUCTURED:
        # What the renderer could make nothing of, or stopped reading, is shown as the text it is.
        assert "<a " not in html and html.endswith(f"{text.rstrip()[-100:]}</p>")


@pytest.mark.django_db
def test_the_preview_of_ten_thousand_brackets_answers_with_the_brackets_as_text(client):
    client.force_login(make_member())

    with cpu_seconds_at_most(2 * CPU_SECONDS_GUARD):
        response = client.post(reverse("forum:preview"), {"body": "[" * 10_000})

    assert response.status_code == 200
    assert response.content.decode().strip() == '<p dir="auto">' + "[" * 10_000 + "</p>"


def test_a_link_whose_text_nests_brackets_too_deep_is_plain_text():
    depth = MAX_LINK_BRACKET_DEPTH + 1
    text = "[" * depth + "x" + "]" * depth + "(https://example.com)"

    html = render(text)

    assert "<a " not in html
    assert "[" * depth + "x" + "]" * depth in html


def test_link_text_nested_within_the_limit_is_still_a_link():
    depth = MAX_LINK_BRACKET_DEPTH
    text = "[" * depth + "x" + "]" * depth + "(https://example.com)"

    html = render(text)

    inner = "[" * (depth - 1) + "x" + "]" * (depth - 1)
    assert html == f'<p><a href="https://example.com" rel="nofollow ugc noopener">{inner}</a></p>'


def test_links_past_the_destination_budget_are_plain_text(monkeypatch):
    monkeypatch.setattr(markdown, "LINK_DESTINATION_BUDGET", len("(/first)") + 1)

    html = render("[one](/first) and [two](/second)")

    assert '<a href="/first"' in html
    assert "/second" not in html.split("[two]")[0] and "[two](/second)" in html


def test_blocks_past_the_reading_budget_are_plain_paragraphs(monkeypatch):
    monkeypatch.setattr(markdown, "BLOCK_READING_BUDGET", len("# One"))

    html = render("# One\n\n# Two")

    assert html == "<h3>One</h3>\n<p># Two</p>"


ORDINARY_MARKDOWN = """\
# Descaling

Use [the guide](https://example.com/guide "Official guide") or [Foo](https://en.wikipedia.org/wiki/Foo_(bar)),
see [note [1]](/notes/) and [the manual][manual]. **Bold**, *emphasis*, `code` and ~~struck~~.

Step one
--------
1. Fill the [tank](/tank)
2. Run `descale`
    - twice ![photo](/media/forum/2026/01/tank.png)

> **Ann** [wrote](/forum/p/1/):
> > Did you try [this](<https://example.com/a b>)?

| Part | Link |
|------|------|
| Tank | [here](/parts/tank) |

---
```
[not](a link) **nor bold**
```

[manual]: https://example.com/manual
"""

ORDINARY_HTML = """\
<h3>Descaling</h3>
<p>Use <a href="https://example.com/guide" title="Official guide" rel="nofollow ugc noopener">the guide</a> or \
<a href="https://en.wikipedia.org/wiki/Foo_(bar)" rel="nofollow ugc noopener">Foo</a>,
see <a href="/notes/" rel="nofollow ugc noopener">note [1]</a> and \
<a href="https://example.com/manual" rel="nofollow ugc noopener">the manual</a>. <strong>Bold</strong>, \
<em>emphasis</em>, <code>code</code> and ~~struck~~.</p>
<h4>Step one</h4>
<ol>
<li>Fill the <a href="/tank" rel="nofollow ugc noopener">tank</a></li>
<li>Run <code>descale</code><ul>
<li>twice <img alt="photo" src="/media/forum/2026/01/tank.png"></li>
</ul>
</li>
</ol>
<blockquote>
<p><strong>Ann</strong> <a href="/forum/p/1/" rel="nofollow ugc noopener">wrote</a>:</p>
<blockquote>
<p>Did you try <a href="https://example.com/a b" rel="nofollow ugc noopener">this</a>?</p>
</blockquote>
</blockquote>
<table>
<thead>
<tr>
<th>Part</th>
<th>Link</th>
</tr>
</thead>
<tbody>
<tr>
<td>Tank</td>
<td><a href="/parts/tank" rel="nofollow ugc noopener">here</a></td>
</tr>
</tbody>
</table>
<hr>
<pre><code>[not](a link) **nor bold**
</code></pre>"""


def test_ordinary_markdown_renders_exactly_as_before():
    assert render(clean_body(ORDINARY_MARKDOWN)) == ORDINARY_HTML


def test_a_longest_post_full_of_links_keeps_every_link():
    unit = "see [the docs](https://example.com/docs/page) and "
    text = clean_body(unit * (MAX_BODY_CHARACTERS // len(unit)))

    with cpu_seconds_at_most(CPU_SECONDS_GUARD):
        html = render(text)

    assert html.count("<a ") == MAX_BODY_CHARACTERS // len(unit)
