"""Contact support and the article vote in a real browser: a question typed on the contact form
brings up a suggestion, opening it and confirming "this solved my problem" is recorded for the
visit; a No vote asks why and offers other ways to get help; the box works right to left."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from support.metrics.deflection import deflection
from support.metrics.period import Period
from support.models import Event
from tests.factories import BROWSER_USER_AGENT, ensure_help_centers, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: How long a customer may wait, after their last keystroke, for the first suggestion.
SUGGESTION_DEADLINE_MS = 1_000


@pytest.fixture
def wifi_articles():
    ensure_help_centers()
    related = make_article("Forget a wireless network", category="net", category_title="Networking")
    article = make_article(
        "Fix a wireless connection that keeps dropping",
        category="net",
        category_title="Networking",
        body="If the wireless connection drops, turn power saving off for the adapter.",
    )
    article.related_articles.create(related_page=related)
    article.save_revision().publish()
    return article


def test_a_suggestion_on_the_contact_form_solves_the_problem_and_is_recorded(reader, wifi_articles, artifacts_dir):
    reader.goto("/en/support/contact/")
    visit = reader.locator("input[name='visit']").input_value()

    reader.get_by_label("Subject").fill("")
    reader.get_by_label("Subject").press_sequentially("my wireless keeps dropping", delay=20)

    suggestion = reader.get_by_role("link", name="Fix a wireless connection that keeps dropping")
    expect(suggestion).to_be_visible(timeout=SUGGESTION_DEADLINE_MS)
    reader.screenshot(path=str(artifacts_dir / "support-contact-suggestions.png"), full_page=True)
    suggestion.click()

    reader.wait_for_url(f"**/?from_contact={visit}")
    expect(reader.locator("h1")).to_have_text("Fix a wireless connection that keeps dropping")
    reader.get_by_role("button", name="This solved my problem").click()

    expect(reader.get_by_role("heading", name="Glad it's solved!")).to_be_visible()
    assert Event.objects.filter(kind=Event.Kind.SUGGESTIONS_SHOWN, visit_id=visit).exists()
    opened = Event.objects.get(kind=Event.Kind.SUGGESTION_OPENED, visit_id=visit)
    assert (opened.article_id, opened.rank) == (wifi_articles.pk, 1)
    solved = Event.objects.get(kind=Event.Kind.SOLVED_CONFIRMED, visit_id=visit)
    assert solved.article_id == wifi_articles.pk and solved.flow == "contact"

    # ... and the deflection report counts the visit as deflected, explicitly.
    today = Period.of_days(timezone.localdate())
    figures = deflection(today, flow=Event.Flow.CONTACT).total
    assert (figures.visits, figures.deflected, figures.confirmed, figures.tickets) == (1, 1, 1, 0)


def test_a_no_vote_asks_why_and_offers_related_articles_the_forum_and_contact(reader, wifi_articles):
    reader.goto(wifi_articles.url)
    box = reader.locator("#article-vote")

    box.get_by_role("button", name="No").click()

    expect(box.get_by_role("heading", name="Sorry this didn't help")).to_be_focused()
    box.get_by_label("It is outdated").check()
    box.get_by_label("Anything else we should know? (optional)").fill("The menu is called Network now.")
    box.get_by_role("button", name="Send").click()

    expect(box.get_by_role("heading", name="Thanks for telling us")).to_be_visible()
    expect(box.get_by_role("link", name="Forget a wireless network")).to_be_visible()
    expect(box.get_by_role("link", name="Ask the community forum")).to_be_visible()
    expect(box.get_by_role("link", name="Contact support")).to_be_visible()
    assert reader.url.endswith(wifi_articles.url), "answered inline, without leaving the page"


def test_the_vote_works_without_javascript(browser, live_server, wifi_articles):
    context = browser.new_context(base_url=live_server.url, user_agent=BROWSER_USER_AGENT, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(wifi_articles.url)
        page.locator("#article-vote").get_by_role("button", name="No").click()
        page.wait_for_url("**#article-vote")
        page.locator("#article-vote").get_by_label("It doesn't apply to me").check()
        page.locator("#article-vote").get_by_role("button", name="Send").click()

        expect(page.get_by_role("heading", name="Thanks for telling us")).to_be_visible()
        expect(page.locator("#article-vote").get_by_role("link", name="Contact support")).to_be_visible()
    finally:
        context.close()


def test_the_vote_box_reads_right_to_left_on_a_persian_article(reader, artifacts_dir):
    ensure_help_centers()
    article = make_article(
        "تنظیم چاپگر پیش‌گزیده",
        locale="fa",
        category="printing",
        category_title="چاپ کردن",
        body="چاپگری را که بیش‌تر از همه استفاده می‌کنید به عنوان چاپگر پیش‌گزیده بگزینید.",
    )
    reader.set_viewport_size({"width": 1000, "height": 900})
    reader.goto(article.url)
    box = reader.locator("#article-vote")
    box.scroll_into_view_if_needed()

    assert reader.evaluate("getComputedStyle(document.querySelector('#article-vote')).direction") == "rtl"
    buttons = box.locator(".vote-buttons button")
    first, second = buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()
    assert first["x"] > second["x"], "the first answer (Yes) sits on the right in a right-to-left page"
    reader.screenshot(path=str(artifacts_dir / "support-vote-rtl-fa.png"), full_page=True)

    buttons.nth(1).click()
    expect(reader.locator(".vote-reason").first).to_be_visible()
    assert reader.evaluate("getComputedStyle(document.querySelector('.vote-reason')).direction") == "rtl"
    reader.screenshot(path=str(artifacts_dir / "support-vote-rtl-fa-why.png"), full_page=True)
