"""A live topic page keeps its header and its accepted answer right: a reply posted in another
browser changes the reply count, an answer accepted there leaves its text once on the page (in
full under the question, a pointer in the conversation), and a vote there changes the score with
its unit ("1 vote").

Served by daphne (HTTP and websockets through config.asgi), as the forum's live browser tests do;
the one daphne of the process is theirs (Twisted's reactor starts only once per process).
"""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_forum_live_browser import (  # noqa: F401
    asgi_server,
    asker_and_helper_on_a_live_topic,
    not_reloaded,
    open_live_topic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What "live" means here: the other page changes within this many seconds.
LIVE_WITHIN_MS = 3_000
ANSWER = "Every two months, with citric acid."


def test_the_reply_count_accepted_answer_and_score_follow_the_other_browser(browser, asgi_server, artifacts_dir):  # noqa: F811
    with asker_and_helper_on_a_live_topic(browser, asgi_server, "polish-") as (url, asking, helping):
        count = asking.locator(".topic-header [data-reply-count]")
        assert count.inner_text() == "0 replies"

        helping.get_by_label("Your reply").fill(ANSWER)
        helping.get_by_role("button", name="Post reply").click()
        started = time.monotonic()
        asking.locator(".topic-header [data-reply-count]", has_text="1 reply").wait_for(timeout=LIVE_WITHIN_MS)

        assert (time.monotonic() - started) * 1000 < LIVE_WITHIN_MS
        assert not_reloaded(asking)
        asking.locator("#post-2").get_by_text(ANSWER).wait_for()

        # The asker accepts it; the helper's open page shows the answer once, under the question.
        open_live_topic(helping, url)
        asking.locator("#post-2").get_by_role("button", name="Accept this answer").click()
        asking.locator("#post-2[data-accepted-pointer]").wait_for()
        assert asking.get_by_text(ANSWER).count() == 1

        helping.locator("#post-2[data-accepted-pointer]").wait_for(timeout=LIVE_WITHIN_MS)
        helping.get_by_role("region", name="Accepted answer").get_by_text(ANSWER).wait_for(timeout=LIVE_WITHIN_MS)
        assert not_reloaded(helping)
        assert helping.get_by_text(ANSWER).count() == 1
        pointer = helping.locator("#post-2").get_by_role("link", name="Accepted answer, shown above")
        assert pointer.get_attribute("href") == "#accepted-2"
        order = helping.evaluate("() => [...document.querySelectorAll('article.post')].map(a => a.id)")
        assert order == ["post-1", "accepted-2", "post-2"]

        # The asker upvotes it: both pages say "1 vote", the unit in the singular.
        score = helping.locator("#accepted-2 .score")
        assert score.inner_text() == "0 votes"
        asking.locator("#accepted-2").get_by_role("button", name="Upvote").click()
        expect(asking.locator("#accepted-2 .score")).to_have_text("1 vote")
        expect(score).to_have_text("1 vote", timeout=LIVE_WITHIN_MS)
        assert not_reloaded(helping)
        helping.screenshot(path=str(artifacts_dir / "forum-topic-polish.png"), full_page=True)
