"""What a reader sees on an article: breadcrumbs, a table of contents when it is long, blocks."""

import re

from tests.factories import BROWSER_HEADERS, make_article


def sections(*titles):
    body = []
    for title in titles:
        body.append(("heading", {"text": title, "level": "h2"}))
        body.append(("paragraph", f"<p>About {title}.</p>"))
    return body


def test_a_long_article_has_a_table_of_contents_linking_to_its_sections(client, help_centers):
    article = make_article("Set up printing", body=sections("Before you begin", "Add a printer", "Print a page"))

    html = client.get(article.url, **BROWSER_HEADERS).content.decode()

    links = re.findall(r'<a href="#([^"]+)"', html.split('class="toc')[1].split("</nav>")[0])
    assert links == ["before-you-begin", "add-a-printer", "print-a-page"]
    for anchor in links:
        assert f'id="{anchor}"' in html


def test_a_short_article_has_no_table_of_contents(client, help_centers):
    article = make_article("Mute the sound", body=sections("Mute", "Unmute"))

    html = client.get(article.url, **BROWSER_HEADERS).content.decode()

    assert 'class="toc' not in html


def test_repeated_section_titles_get_distinct_anchors(help_centers):
    article = make_article("FAQ", body=sections("Why", "Why", "Why"))

    assert [section["anchor"] for section in article.sections] == ["why", "why-2", "why-3"]


def test_the_article_shows_breadcrumbs_from_the_help_center_down(client, help_centers):
    article = make_article("Pair a mouse", category="mouse", category_title="Mouse & touchpad")

    html = client.get(article.url, **BROWSER_HEADERS).content.decode()

    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)"', crumbs) == ["/en/", "/en/mouse/"]
    assert 'aria-current="page"' in crumbs
    assert "Pair a mouse" in crumbs


def test_callouts_steps_and_code_render_and_code_stays_left_to_right(client, help_centers):
    body = [
        ("callout", {"kind": "warning", "text": "<p>Back up first.</p>"}),
        ("steps", {"steps": ["<p>Open Settings.</p>", "<p>Choose Network.</p>"]}),
        ("code", {"language": "shell", "code": "nmcli device wifi list"}),
    ]
    article = make_article("Reset the network", locale="fa", body=body)

    html = client.get(article.url, **BROWSER_HEADERS).content.decode()

    assert 'dir="rtl"' in html
    assert "callout-warning" in html and "Back up first." in html
    assert html.count("<li>") >= 2 and "Choose Network." in html
    assert re.search(r'<div class="code-block" dir="ltr">', html)
    assert "nmcli device wifi list" in html
