"""Moderation in a real browser: a member flags a post, a moderator opens the review queue and
hides it, and the post is gone for that member and for anonymous readers."""

import pytest

from forum import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory, ensure_help_centers
from tests.factories.forum import make_category, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SPAM = "Cheap replica watches at spam.example"


def test_a_flagged_post_hidden_from_the_queue_is_gone_for_members_and_anonymous(browser, live_server, artifacts_dir):
    ensure_help_centers()
    topic = services.create_topic(
        UserFactory(display_name="Olga Opener"),
        category=make_category("Coffee"),
        title="Grinder for pour over",
        body="Which one?",
    )
    services.reply(UserFactory(display_name="Sam Spammer"), topic, SPAM)
    member = UserFactory(email="reader@example.com", display_name="Rita Reader")
    moderator = make_moderator(email="mod@example.com", display_name="Mo Moderator")

    contexts = [browser.new_context(base_url=live_server.url, locale="en-US") for _ in range(3)]
    try:
        reading, moderating, anonymous = (context.new_page() for context in contexts)
        for page in (reading, moderating, anonymous):
            page.set_default_timeout(10_000)

        log_in(reading, member.email)
        reading.goto(topic.get_absolute_url())
        reading.locator("#post-2").get_by_role("link", name="Flag").click()
        reading.get_by_label("Spam").check()
        reading.get_by_label("Anything a moderator should know (optional)").fill("Advertising watches")
        reading.get_by_role("button", name="Send to the moderators").click()
        reading.get_by_text("A moderator will look at this post").wait_for()

        log_in(moderating, moderator.email)
        moderating.goto("/en/forum/moderation/")
        item = moderating.locator("[data-flagged-post]", has_text=SPAM)
        item.get_by_text("Flagged by 1 member").wait_for()
        assert "Spam × 1" in item.inner_text() and "Advertising watches" in item.inner_text()
        assert "Sam Spammer" in item.inner_text()
        moderating.screenshot(path=str(artifacts_dir / "forum-moderation-queue.png"), full_page=True)
        item.get_by_role("button", name="Hide post").click()
        moderating.get_by_text("Post hidden.").wait_for()
        assert moderating.locator("[data-flagged-post]").count() == 0

        reading.goto(topic.get_absolute_url())
        reading.locator("#post-2").get_by_text("This post was hidden by a moderator.").wait_for()
        assert SPAM not in reading.content()
        anonymous.goto(topic.get_absolute_url())
        anonymous.locator("#post-2").get_by_text("This post was hidden by a moderator.").wait_for()
        assert SPAM not in anonymous.content()

        moderating.goto(topic.get_absolute_url())
        moderating.locator("#post-2").get_by_text("Hidden from members; moderators see it.").wait_for()
        moderating.get_by_text("Moderator tools").click()
        moderating.get_by_role("button", name="Lock").wait_for()
        moderating.screenshot(path=str(artifacts_dir / "forum-moderator-tools.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
