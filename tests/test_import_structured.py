"""The importer on structured Markdown: links between articles, notes, steps, lists, tables, code.

The tree of each test is written to a temporary folder, laid out like
shared/corpora/gnome-help-structured ({en,ru}/<slug>.md), so each test shows the Markdown it
imports. The last test imports the whole structured GNOME Help corpus.
"""

import io
import json
import re
from pathlib import Path
from textwrap import dedent

import pytest
from django.conf import settings
from django.core.management import call_command
from haystack import connections
from wagtail.models import Page, Revision

from kb.markdown_blocks import MAX_DEPTH
from kb.models import ArticlePage, CategoryPage
from kb.search.service import search
from tests.factories import BROWSER_HEADERS
from tests.search_helpers import reader

PAGE_LINK = re.compile(r'<a linktype="page" id="(\d+)"(?: anchor="([^"]*)")?>')


def write_article(root: Path, locale: str, slug: str, body: str, *, category="net", title=None) -> Path:
    folder = root / locale
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    front_matter = (
        f'---\ntitle: "{title or slug.replace("-", " ").capitalize()}"\nslug: "{slug}"\nlocale: {locale}\n'
        f'translation_key: "{slug}"\ncategory: "{category}"\ncategory_title: "{category.capitalize()}"\n---\n'
    )
    path.write_text(front_matter + dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def import_articles(path: Path) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_articles", str(path), "--no-progress", stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def article(slug: str, locale: str = "en") -> ArticlePage:
    return ArticlePage.objects.get(slug=slug, locale__language_code=locale)


def blocks(page: ArticlePage) -> list[tuple[str, object]]:
    return [(block["type"], block["value"]) for block in page.body.raw_data]


def article_body_html(client, page: ArticlePage) -> str:
    html = client.get(page.url, **BROWSER_HEADERS).content.decode()
    return html.split('class="article-body"')[1].split("</article>")[0]


def test_a_link_to_another_article_is_a_page_link_that_follows_a_rename_and_a_move(client, help_centers, tmp_path):
    write_article(tmp_path, "en", "wifi-connect", "Read [the hidden network steps](wifi-hidden.md#connect-by-name).\n")
    write_article(tmp_path, "en", "wifi-hidden", "Intro.\n\n## Connect by name\n\nType the name.\n")

    import_articles(tmp_path)

    linking, target = article("wifi-connect"), article("wifi-hidden")
    [(kind, paragraph)] = blocks(linking)
    assert PAGE_LINK.search(paragraph).groups() == (str(target.pk), "connect-by-name")
    assert f'href="{target.url}#connect-by-name"' in article_body_html(client, linking)
    assert 'id="connect-by-name"' in article_body_html(client, target)

    target.slug = "hidden-networks"
    target.save_revision().publish()
    other = (
        CategoryPage.objects.get(slug="net")
        .get_parent()
        .add_child(instance=CategoryPage(title="Wireless", slug="wireless", locale=target.locale))
    )
    target.move(other, pos="last-child")

    assert 'href="/en/wireless/hidden-networks/#connect-by-name"' in article_body_html(client, linking)


def test_a_link_to_an_article_later_in_the_same_run_resolves_in_the_runs_one_revision(help_centers, tmp_path):
    write_article(tmp_path, "en", "a-first", "1. Open [the last article](z-last.md).\n2. Done.\n")
    write_article(tmp_path, "en", "z-last", "Back to [the first](a-first.md).\n")

    import_articles(tmp_path)

    first, last = article("a-first"), article("z-last")
    assert PAGE_LINK.search(blocks(first)[0][1]["steps"][0]).group(1) == str(last.pk)
    assert PAGE_LINK.search(blocks(last)[0][1]).group(1) == str(first.pk)
    assert first.revisions.count() == 1
    [revised_steps] = json.loads(first.live_revision.content["body"])
    assert PAGE_LINK.search(revised_steps["value"]["steps"][0]).group(1) == str(last.pk), "in the revision too"


def test_importing_linked_articles_again_changes_nothing(help_centers, tmp_path):
    write_article(tmp_path, "en", "a-first", "See [the last](z-last.md).\n")
    write_article(tmp_path, "en", "z-last", "See [the first](a-first.md).\n")
    import_articles(tmp_path)
    state = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at"))
    revisions = Revision.objects.count()

    stdout, stderr = import_articles(tmp_path)

    assert stdout.strip().splitlines()[-1] == "created 0, updated 0, unchanged 2, failed 0"
    assert stderr == ""
    assert PAGE_LINK.search(blocks(article("a-first"))[0][1]).group(1) == str(article("z-last").pk)
    assert list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at")) == state
    assert Revision.objects.count() == revisions


def test_a_link_to_a_file_that_is_not_imported_is_kept_as_text_and_reported(help_centers, tmp_path):
    write_article(tmp_path, "en", "printer-setup", "See [the scanner](scanner-setup.md) and [Russian](../ru/x.md).\n")
    write_article(tmp_path, "ru", "x", "Текст.\n")

    stdout, stderr = import_articles(tmp_path)

    [(kind, paragraph)] = blocks(article("printer-setup"))
    assert "<a" not in paragraph
    assert "the scanner" in paragraph and "Russian" in paragraph
    assert "printer-setup.md: link to 'scanner-setup.md' kept as text: no article 'scanner-setup' in 'en'" in stderr
    assert "printer-setup.md: link to '../ru/x.md' kept as text: that article is in another language" in stderr
    assert stdout.strip().splitlines()[-1] == "created 2, updated 0, unchanged 0, failed 0"


def test_a_link_to_an_article_of_an_earlier_import_resolves_by_its_file_name(help_centers, tmp_path):
    write_article(tmp_path / "first", "en", "wifi-hidden", "Hidden networks.\n")
    import_articles(tmp_path / "first")
    write_article(tmp_path / "second", "en", "wifi-connect", "See [hidden networks](wifi-hidden.md).\n")

    _stdout, stderr = import_articles(tmp_path / "second")

    assert stderr == ""
    assert PAGE_LINK.search(blocks(article("wifi-connect"))[0][1]).group(1) == str(article("wifi-hidden").pk)


def test_an_anchor_that_is_not_a_section_heading_is_dropped_and_the_link_kept(client, help_centers, tmp_path):
    write_article(tmp_path, "en", "a-guide", "[Top](b-target.md#no-such-heading), [sub](b-target.md#a-subsection).\n")
    write_article(tmp_path, "en", "b-target", "## A section\n\nText.\n\n### A subsection\n\nMore.\n")

    import_articles(tmp_path)

    links = PAGE_LINK.findall(blocks(article("a-guide"))[0][1])
    assert links == [(str(article("b-target").pk), ""), (str(article("b-target").pk), "")]
    assert article_body_html(client, article("a-guide")).count(f'href="{article("b-target").url}"') == 2


def test_a_link_to_a_section_of_the_same_article_points_at_the_heading_id(client, help_centers, tmp_path):
    write_article(tmp_path, "en", "guide", "See [below](#wi-fi-settings).\n\n## Wi-Fi settings\n\nText.\n")

    import_articles(tmp_path)

    html = article_body_html(client, article("guide"))
    assert '<a href="#wi-fi-settings">below</a>' in html
    assert '<h2 id="wi-fi-settings" dir="auto">' in html


def test_notes_tips_and_warnings_become_callouts_of_their_kind(client, help_centers, tmp_path):
    body = """
        > **Note:** Plain note.

        > **Tip: Quick access**
        >
        > Press the key.

        > **Warning:** Back up first.

        > **Important:** Choose a strong password.

        > Just a quote.
    """
    write_article(tmp_path, "en", "notes", body)

    import_articles(tmp_path)

    page = article("notes")
    callouts = [(value["kind"], value["text"]) for kind, value in blocks(page) if kind == "callout"]
    assert callouts == [
        ("note", "<p>Plain note.</p>"),
        ("tip", "<p><b>Quick access</b></p>\n<p>Press the key.</p>"),
        ("warning", "<p>Back up first.</p>"),
        ("warning", "<p>Choose a strong password.</p>"),
    ]
    assert blocks(page)[-1] == ("paragraph", "<p>Just a quote.</p>")
    html = article_body_html(client, page)
    assert html.count('class="callout callout-warning"') == 2 and "Tip:" not in html


def test_numbered_lists_become_steps_with_their_notes_nested_lists_and_code(help_centers, tmp_path):
    body = """
        1. Open **Settings**.
        2. Choose one:
           - Wired
             - USB
           - Wireless

           > **Tip:** Wireless is slower.
        3. Run:

           ```
           nmcli radio
             wifi on
           ```
    """
    write_article(tmp_path, "ru", "steps", body)

    import_articles(tmp_path)

    [(kind, value)] = blocks(article("steps", "ru"))
    assert kind == "steps"
    first, second, third = value["steps"]
    assert first == "<p>Open <strong>Settings</strong>.</p>"
    assert "<ul>\n<li>Wired\n<ul>\n<li>USB</li>\n</ul>\n</li>\n<li>Wireless</li>\n</ul>" in second
    assert "<p><strong>Совет:</strong> Wireless is slower.</p>" in second, "the label in the article's language"
    assert third.endswith("<p><code>nmcli radio</code><br><code>&nbsp;&nbsp;wifi on</code></p>")


def test_headings_bullet_lists_code_and_tables_keep_their_structure(client, help_centers, tmp_path):
    body = """
        Text with `inline code`.

        - one
          - one and a half
        - two

        ## Ports

        | Port | Name |
        |---|---|
        | 5353/udp | **mDNS**, see [the guide](guide.md) |
        | 631 | <script>alert(1)</script>IPP |

        ### Commands

        ```shell
        firewall-cmd --list-all
        ```
    """
    write_article(tmp_path, "en", "ports", body)
    write_article(tmp_path, "en", "guide", "Guide.\n")

    import_articles(tmp_path)

    page = article("ports")
    kinds = [kind for kind, _value in blocks(page)]
    assert kinds == ["paragraph", "heading", "table", "heading", "code"]
    paragraph, h2, table, h3, code = (value for _kind, value in blocks(page))
    assert "<ul>\n<li>one\n<ul>\n<li>one and a half</li>\n</ul>\n</li>\n<li>two</li>\n</ul>" in paragraph
    assert (h2, h3) == ({"text": "Ports", "level": "h2"}, {"text": "Commands", "level": "h3"})
    assert [column["heading"] for column in table["columns"]] == ["Port", "Name"]
    assert table["rows"][1]["values"] == ["<p>631</p>", "<p>IPP</p>"]
    assert PAGE_LINK.search(table["rows"][0]["values"][1]).group(1) == str(article("guide").pk)
    assert code == {"language": "shell", "code": "firewall-cmd --list-all"}
    html = article_body_html(client, page)
    assert '<th scope="col" dir="auto">Port</th>' in html and f'<a href="{article("guide").url}">' in html
    assert "<script" not in html


def test_hostile_markdown_is_stripped_and_reported_and_the_article_still_imports(client, help_centers, tmp_path):
    body = """
        Hello <script>alert("x")</script> reader <img src="x.png" onerror="alert('img')">.

        [Click](javascript:alert('link')) or [mail](mailto:help@example.com) or
        <a href="https://example.com" onclick="x()" style="color:red">web</a>.

        > **Warning:** <iframe src="https://evil.example"></iframe>Careful.
    """
    write_article(tmp_path, "en", "hostile", body)

    stdout, stderr = import_articles(tmp_path)

    assert stdout.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, failed 0"
    stored = str(article("hostile").body.raw_data).lower()
    for hostile in ("<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "style=", "<img"):
        assert hostile not in stored
    assert 'href="mailto:help@example.com"' in stored and 'href="https://example.com"' in stored
    [report] = [line for line in stderr.splitlines() if "hostile.md: removed" in line]
    for removed in ("<script> ×1", "<img> ×1", "<iframe> ×1", "event-handler attribute ×2", "javascript: link ×1"):
        assert removed in report
    assert "alert(" not in article_body_html(client, article("hostile"))


def test_a_file_with_nul_bytes_is_refused_and_leaves_nothing_behind(help_centers, tmp_path):
    path = write_article(tmp_path, "en", "binary", "Text.\n")
    path.write_bytes(path.read_bytes() + b"\x00\x01")
    pages_before = Page.objects.count()

    stdout, stderr = import_articles(tmp_path)

    assert "binary.md: contains NUL bytes" in stderr
    assert stdout.strip().splitlines()[-1] == "created 0, updated 0, unchanged 0, failed 1"
    assert Page.objects.count() == pages_before


def test_markdown_nested_deeper_than_the_limit_is_refused_not_cut(help_centers, tmp_path):
    write_article(tmp_path, "en", "deep", "> " * 500 + "deep\n")
    write_article(tmp_path, "en", "nested", "> " * 5 + "- " * 5 + "fine\n")

    stdout, stderr = import_articles(tmp_path)

    assert f"deep.md: nested deeper than {MAX_DEPTH} levels" in stderr
    assert stdout.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, failed 1"
    assert "fine" in str(article("nested").body.raw_data)


def test_the_run_indexes_its_articles_for_search_in_one_write_once_it_ends(
    help_centers, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    write_article(tmp_path, "en", "okapi-setup", "Set up the okapi printer.\n", title="Okapi printer setup")
    write_article(tmp_path, "ru", "okapi-setup", "Настройка принтера окапи.\n", title="Настройка окапи")
    backend = connections["default"].get_backend()
    writes = []

    def counted_update(index, objects, **kwargs):
        objects = list(objects)
        writes.append(len(objects))
        return type(backend).update(backend, index, objects, **kwargs)

    monkeypatch.setattr(backend, "update", counted_update)

    with django_capture_on_commit_callbacks(execute=True):
        import_articles(tmp_path)

    assert writes == [2], "one index write for the whole run"

    results = search(reader(language="en"), "okapi", language="en")
    assert [hit.url for hit in results.hits] == [article("okapi-setup").url]
    assert article("okapi-setup").get_translations().get().pk == article("okapi-setup", "ru").pk


@pytest.mark.parametrize("locale", ["en", "ru", "fa"])
def test_every_link_of_the_structured_corpus_leads_to_an_article_and_section_in_its_language(db, locale):
    """The whole corpus of one language: no link is lost and every kept section exists."""
    corpus = settings.CORPORA_DIR / "gnome-help-structured" / locale

    stdout, stderr = import_articles(corpus)

    size = len(list(corpus.glob("*.md")))
    assert stdout.strip().splitlines()[-1] == f"created {size}, updated 0, unchanged 0, failed 0"
    assert "kept as text" not in stderr
    pages = {page.pk: page for page in ArticlePage.objects.filter(locale__language_code=locale)}
    links = 0
    for page in pages.values():
        for target_id, anchor in PAGE_LINK.findall(str(page.body.raw_data)):
            links += 1
            target = pages[int(target_id)]  # KeyError: a link to another language or a missing page
            if anchor:
                assert anchor in [section["anchor"] for section in target.sections], (page.slug, anchor)
    assert links > 300
    kinds = {block["type"] for page in pages.values() for block in page.body.raw_data}
    assert {"steps", "callout", "heading", "table", "paragraph"} <= kinds

    second_stdout, _stderr = import_articles(corpus)
    assert second_stdout.strip().splitlines()[-1] == f"created 0, updated 0, unchanged {size}, failed 0"
