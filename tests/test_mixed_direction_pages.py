"""Pages read in both directions: each block of people's text finds its own direction (dir="auto"),
names, dates and counts are isolated (<bdi>), and Persian pages write dates and counts in Persian
digits while Hebrew ones keep Western digits."""

from datetime import timedelta
from xml.etree.ElementTree import Element

import html5lib
from django.utils import timezone, translation

from forum.models import Topic
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.factories.forum import make_category, make_topic

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")
WESTERN_DIGITS = set("0123456789")


def parse(response) -> Element:
    assert response.status_code == 200
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def parent_map(tree: Element) -> dict:
    return {child: parent for parent in tree.iter() for child in parent}


def test_each_paragraph_of_a_persian_article_decides_its_own_direction(client, help_centers):
    article = make_article(
        "تنظیم چاپگر",
        locale="fa",
        summary="Set up a printer.",
        body=[
            ("paragraph", "<p>برنامهٔ تنظیمات را باز کنید.</p><p>Open the Settings app.</p><ul><li>Wi-Fi</li></ul>"),
            ("heading", {"text": "Printers", "level": "h2"}),
            ("steps", {"steps": ["<p>Choose Network.</p>"]}),
            ("callout", {"kind": "tip", "text": "<p>Back up first.</p>"}),
        ],
    )

    tree = parse(client.get(article.url, **BROWSER_HEADERS))

    body = tree.find(".//div[@class='article-body']")
    # The blocks that hold text themselves (a step's <li> holds its paragraphs, in page direction).
    blocks = [element for element in body.iter() if element.tag in {"p", "li", "h2"} and (element.text or "").strip()]
    assert {text_of(block) for block in blocks} >= {"Open the Settings app.", "Wi-Fi", "Printers", "Back up first."}
    assert [text_of(block) for block in blocks if block.get("dir") != "auto"] == []
    assert tree.find(".//h1[@id='article-title']").get("dir") == "auto"
    assert tree.find(".//p[@class='lead']").get("dir") == "auto"


def test_a_persian_article_dates_are_isolated_and_in_persian_digits_but_not_their_attribute(client, help_centers):
    article = make_article("تنظیم چاپگر", locale="fa")

    tree = parse(client.get(article.url, **BROWSER_HEADERS))

    time = tree.find(".//dl[@class='article-meta']//time")
    assert parent_map(tree)[time].tag == "bdi"
    assert set(text_of(time)) & PERSIAN_DIGITS and not set(text_of(time)) & WESTERN_DIGITS
    assert set(time.get("datetime")) & WESTERN_DIGITS and not set(time.get("datetime")) & PERSIAN_DIGITS


def test_a_hebrew_article_keeps_western_digits(client, help_centers):
    article = make_article("הגדרת מדפסת", locale="he")

    tree = parse(client.get(article.url, **BROWSER_HEADERS))

    time = tree.find(".//dl[@class='article-meta']//time")
    assert set(text_of(time)) & WESTERN_DIGITS and not set(text_of(time)) & PERSIAN_DIGITS


def topic_written_27_minutes_ago(language, **fields):
    topic = make_topic(
        "Printer offline after update",
        category=make_category("چاپگرها" if language == "fa" else "מדפסות"),
        author=UserFactory(display_name="John Smith"),
        language=language,
        posts=13,
        **fields,
    )
    Topic.objects.filter(pk=topic.pk).update(last_posted_at=timezone.now() - timedelta(minutes=27))
    return topic


def test_a_persian_topic_list_isolates_names_and_times_and_writes_persian_digits(client, help_centers):
    topic = topic_written_27_minutes_ago("fa")
    with translation.override("fa"):
        url = topic.category.get_absolute_url()

    tree = parse(client.get(url, **BROWSER_HEADERS))

    row = tree.find(".//li[@class='topic-row']")
    parents = parent_map(tree)
    time = row.find(".//time")
    assert parents[time].tag == "bdi"
    assert text_of(time).startswith("۲۷") and "دقیقه" in text_of(time)
    assert time.get("datetime")[:4].isascii()
    assert "John Smith" in [text_of(bdi) for bdi in row.iter("bdi")]
    assert row.find(".//a[@dir='auto']").text == "Printer offline after update"
    replies = row.find(".//dl[@class='topic-stats']/div/dd")
    assert text_of(replies) == "۱۲"
    assert text_of(tree.find(".//p[@class='count']")).startswith("۱")


def test_a_persian_topic_page_isolates_the_author_time_counts_and_each_paragraph(client, help_centers):
    topic = topic_written_27_minutes_ago("fa")
    topic.posts.filter(position=1).update(body_html="<p>سلام</p><p>It prints blank pages.</p>")
    with translation.override("fa"):
        url = topic.get_absolute_url()

    tree = parse(client.get(url, **BROWSER_HEADERS))

    post = tree.find(".//article[@id='post-1']")
    assert [p.get("dir") for p in post.find(".//div[@class='post-body']").iter("p")] == ["auto", "auto"]
    assert "John Smith" in [text_of(bdi) for bdi in post.iter("bdi")]
    assert text_of(post.find(".//*[@data-score]")) == "۰"
    meta = text_of(tree.find(".//header[@class='topic-header']/p[@class='meta']"))
    assert "۱۲" in meta and not set(meta) & WESTERN_DIGITS


def test_the_hebrew_topic_breadcrumb_keeps_the_title_in_a_bdi_not_a_dir_on_the_item(client, help_centers):
    topic = topic_written_27_minutes_ago("he")
    with translation.override("he"):
        url = topic.get_absolute_url()

    tree = parse(client.get(url, **BROWSER_HEADERS))

    items = tree.findall(".//nav[@class='breadcrumbs']/ol/li")
    assert [item.get("dir") for item in items] == [None, None, None]
    assert text_of(items[-1].find("bdi")) == "Printer offline after update"
    assert text_of(items[1].find(".//bdi")) == "מדפסות"
    meta = text_of(tree.find(".//header[@class='topic-header']/p[@class='meta']"))
    assert "12" in meta and not set(meta) & PERSIAN_DIGITS
