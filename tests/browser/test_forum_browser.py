"""The forum in a real browser: a member asks (similar topics appear while the title is typed),
another member answers, the asker accepts it, and the accepted answer shows at the top."""

import pytest

from forum import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers
from tests.factories.forum import make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ask_answer_accept_and_see_the_accepted_answer_first(browser, live_server, artifacts_dir):
    ensure_help_centers()
    category = make_category("Coffee", description="Brewing and beans")
    asker = UserFactory(email="asker@example.com", display_name="Asha Asker")
    helper = UserFactory(email="helper@example.com", display_name="Hugo Helper")
    services.create_topic(helper, category=category, title="Descaling the espresso machine", body="Vinegar?")

    asking = browser.new_context(base_url=live_server.url, locale="en-US")
    answering = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        page = asking.new_page()
        page.set_default_timeout(10_000)
        log_in(page, asker.email)
        page.goto("/en/forum/")
        page.get_by_role("link", name="Ask a question").click()
        page.get_by_label("Category").select_option(label="Coffee")
        page.get_by_label("Title").press_sequentially("How often should I descale my espresso", delay=20)
        similar = page.locator("#similar-topics")
        similar.get_by_role("link", name="Descaling the espresso machine").wait_for()
        assert "Forum topic" in similar.inner_text()
        page.get_by_label("Details").fill("The machine tastes **bitter** lately.")
        page.get_by_role("button", name="Preview").click()
        page.locator("[data-editor-output] strong", has_text="bitter").wait_for()
        page.get_by_role("button", name="Write").click()
        page.get_by_role("button", name="Post your question").click()
        page.get_by_role("heading", level=1, name="How often should I descale my espresso").wait_for()
        topic_url = page.url

        other = answering.new_page()
        other.set_default_timeout(10_000)
        log_in(other, helper.email)
        other.goto(topic_url)
        other.get_by_label("Your reply").fill("Every two months, with citric acid.")
        other.get_by_role("button", name="Post reply").click()
        other.locator("#post-2").get_by_text("citric acid").wait_for()

        page.reload()
        page.locator("#post-2").get_by_role("button", name="Accept this answer").click()
        accepted = page.get_by_role("region", name="Accepted answer")
        accepted.get_by_text("Every two months, with citric acid.").wait_for()
        page.screenshot(path=str(artifacts_dir / "forum-accepted-answer.png"), full_page=True)

        order = page.evaluate("() => [...document.querySelectorAll('article.post')].map(a => a.id)")
        assert order[:3] == ["post-1", "accepted-2", "post-2"]
        assert "Solved" in page.locator(".topic-header").inner_text()
    finally:
        asking.close()
        answering.close()


def test_a_topic_page_mirrors_in_hebrew(page, artifacts_dir):
    ensure_help_centers()
    topic = services.create_topic(
        UserFactory(display_name="דנה"),
        category=make_category("קפה"),
        title="איך מנקים את המכונה?",
        body="שאלה עם `code` ו-English words.",
        language="he",
    )
    page.goto(topic.get_absolute_url().replace("/en/", "/he/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    header = page.locator("#post-1 .post-header")
    author = header.locator(".post-author").bounding_box()
    meta = header.locator(".post-meta").bounding_box()
    # Right to left: the author starts on the right, the date sits to its left.
    assert author["x"] > meta["x"]
    page.screenshot(path=str(artifacts_dir / "forum-topic-rtl.png"), full_page=True)
