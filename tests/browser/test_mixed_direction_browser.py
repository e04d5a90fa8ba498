"""Mixed-direction text as a browser lays it out, in Persian and Hebrew: an English sentence in a
Persian article keeps its full stop at its end, a relative time in a Persian forum list is one unit
in Persian digits, and the Hebrew breadcrumb keeps its chevron between the crumbs."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from forum.models import Topic
from tests.factories import UserFactory, ensure_help_centers, make_article
from tests.factories.forum import make_category, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ENGLISH_SENTENCE = "Open the Settings app."

#: Where a paragraph's text and its last character are drawn.
TEXT_BOXES = """p => {
  const all = document.createRange();
  all.selectNodeContents(p);
  const text = p.lastChild;
  const last = document.createRange();
  last.setStart(text, text.length - 1);
  last.setEnd(text, text.length);
  const box = r => ({left: r.left, right: r.right});
  return {all: box(all.getBoundingClientRect()), last: box(last.getBoundingClientRect())};
}"""


def test_an_english_paragraph_in_a_persian_article_reads_left_to_right(reader):
    ensure_help_centers()
    article = make_article(
        "تنظیم چاپگر",
        locale="fa",
        body=[("paragraph", f"<p>برنامهٔ تنظیمات را باز کنید.</p><p>{ENGLISH_SENTENCE}</p>")],
    )

    reader.goto(article.url)

    english = reader.locator(".article-body p", has_text=ENGLISH_SENTENCE)
    persian = reader.locator(".article-body p", has_text="برنامهٔ")
    assert english.evaluate("p => getComputedStyle(p).direction") == "ltr"
    assert english.evaluate("p => p.matches(':dir(ltr)')")
    assert persian.evaluate("p => getComputedStyle(p).direction") == "rtl"
    boxes = english.evaluate(TEXT_BOXES)
    assert boxes["last"]["right"] == pytest.approx(boxes["all"]["right"], abs=1)
    assert boxes["last"]["left"] > boxes["all"]["left"] + 50


def test_a_relative_time_in_a_persian_topic_list_is_one_unit_in_persian_digits(reader):
    ensure_help_centers()
    topic = make_topic(
        "Printer offline after update",
        category=make_category("چاپگرها"),
        author=UserFactory(display_name="John Smith"),
        language="fa",
    )
    Topic.objects.filter(pk=topic.pk).update(last_posted_at=timezone.now() - timedelta(minutes=27))
    with translation.override("fa"):
        url = topic.category.get_absolute_url()

    reader.goto(url)

    time = reader.locator(".topic-row time")
    assert time.inner_text().startswith("۲۷") and "دقیقه" in time.inner_text()
    assert time.evaluate("t => t.parentElement.localName") == "bdi"
    # Right to left: the number is drawn right of its unit, next to it, not across the line.
    number, unit = time.evaluate(
        """t => {
          const text = t.firstChild, word = text.data.indexOf("دقیقه");
          const box = (start, end) => {
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, end);
            const r = range.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top};
          };
          return [box(0, 2), box(word, word + 5)];
        }"""
    )
    assert number["top"] == pytest.approx(unit["top"], abs=2)
    assert 0 <= number["left"] - unit["right"] < 12


def test_the_hebrew_topic_breadcrumb_shows_its_chevron_between_the_crumbs(reader):
    ensure_help_centers()
    topic = make_topic("Printer offline after update", category=make_category("מדפסות"), language="he")
    with translation.override("he"):
        url = topic.get_absolute_url()
    reader.set_viewport_size({"width": 1280, "height": 900})

    reader.goto(url)

    crumbs = reader.locator(".breadcrumbs li")
    last = crumbs.last
    assert last.evaluate("li => getComputedStyle(li, '::before').content") == '"‹"'
    # The chevron is drawn at the item's start, on the right in Hebrew: between the category and
    # the English title, not at the title's far (left) end.
    title, item, category = last.evaluate(
        """li => {
              const range = document.createRange();
              range.selectNodeContents(li);
              const text = range.getBoundingClientRect(), box = li.getBoundingClientRect();
              return [{left: text.left, right: text.right}, {left: box.left, right: box.right}];
            }"""
    ) + [crumbs.nth(1).bounding_box()]
    assert item["right"] - title["right"] > 5
    assert title["left"] - item["left"] < 2
    assert item["right"] <= category["x"] + 1


def test_an_english_suggestion_on_a_persian_page_reads_left_to_right(reader):
    ensure_help_centers()
    make_article("Printer setup (CUPS).", locale="fa", body="چاپگر را با CUPS تنظیم کنید.")
    reader.goto("/fa/")
    reader.get_by_role("combobox").focus()

    reader.keyboard.type("Printer", delay=20)

    title = reader.get_by_role("listbox").locator(".suggest-title", has_text="Printer setup")
    title.wait_for()
    assert title.get_attribute("dir") == "auto"
    assert title.evaluate("span => getComputedStyle(span).direction") == "ltr"
