"""The digest lists public content of the period only, in the reader's language: never a
restricted article, a private (council) forum category, a hidden answer, nor a story without its
customer's consent."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from wagtail.models import PageViewRestriction

from customer_voice.services.digest import prepare_issue, send_issue
from forum.models import Post, Topic
from kb.models import ArticlePage
from stories.models import Consent, StoryPage
from tests.customer_voice.test_digest_support import (
    DURING,
    PERIOD,
    accepted_answer_during,
    article_during,
    opted_in,
    outside_period,
)
from tests.factories.forum import make_category, make_group
from tests.factories.stories import make_story

pytestmark = pytest.mark.django_db


def digest_for(user) -> str:
    send_issue(prepare_issue(PERIOD))
    (message,) = [message for message in mail.outbox if message.to == [user.email]]
    return message.body + message.alternatives[0][0]


def story_during(headline, **kwargs) -> StoryPage:
    story = make_story(headline, **kwargs)
    StoryPage.objects.filter(pk=story.pk).update(last_published_at=DURING)
    return story


def test_public_articles_answers_and_stories_of_the_period_are_listed(help_centers):
    article_during("Exporting invoices")
    accepted_answer_during("How do I reset my password?", answer="Use the link on the sign-in page.")
    story_during("Acme cut tickets in half")
    reader = opted_in()

    body = digest_for(reader)

    assert "Exporting invoices" in body
    assert "How do I reset my password?" in body and "Use the link on the sign-in page." in body
    assert "Acme cut tickets in half" in body
    assert "http://127.0.0.1:8000/en/" in body


def test_content_outside_the_period_is_left_out(help_centers):
    article_during("This week's article")
    old = article_during("Last month's article")
    ArticlePage.objects.filter(pk=old.pk).update(last_published_at=outside_period())
    reader = opted_in()

    body = digest_for(reader)

    assert "This week's article" in body
    assert "Last month's article" not in body


def test_a_restricted_article_never_appears(help_centers):
    article_during("Public article")
    for kind, title in [
        (PageViewRestriction.LOGIN, "Members-only roadmap"),
        (PageViewRestriction.GROUPS, "Council roadmap"),
    ]:
        private = article_during(title)
        restriction = PageViewRestriction.objects.create(page=private, restriction_type=kind)
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.add(Group.objects.get_or_create(name="Customer council")[0])
    in_private_section = article_during("Internal procedure", category="internal", category_title="Internal")
    PageViewRestriction.objects.create(page=in_private_section.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    reader = opted_in(is_superuser=True)

    body = digest_for(reader)

    assert "Public article" in body
    for title in ("Members-only roadmap", "Council roadmap", "Internal procedure"):
        assert title not in body


def test_answers_in_a_council_category_or_hidden_never_appear_even_to_a_council_member(help_centers):
    council = make_group("Customer council")
    accepted_answer_during("Public question")
    accepted_answer_during("Council-only question", category=make_category("Council", restricted_to=[council]))
    hidden = accepted_answer_during("Question with a hidden answer")
    Post.objects.filter(pk=hidden.accepted_answer_id).update(is_hidden=True)
    hidden_topic = accepted_answer_during("Hidden topic")
    Topic.objects.filter(pk=hidden_topic.pk).update(is_hidden=True)
    member = opted_in()
    member.groups.add(council)

    body = digest_for(member)

    assert "Public question" in body
    for title in ("Council-only question", "Question with a hidden answer", "Hidden topic"):
        assert title not in body


def test_a_story_whose_consent_was_withdrawn_never_appears(help_centers):
    article_during("Some article")
    story_during("Consented story")
    withdrawn = story_during("Withdrawn story")
    Consent.objects.filter(story_id=withdrawn.pk).update(withdrawn_at=timezone.now())
    story_during("Draft story", publish=False)
    reader = opted_in()

    body = digest_for(reader)

    assert "Consented story" in body
    assert "Withdrawn story" not in body and "Draft story" not in body


def test_a_russian_reader_gets_russian_content_links_and_text(help_centers):
    article_during("English article")
    article_during("Русская статья", locale="ru")
    accepted_answer_during("Вопрос на русском", language="ru")
    reader = opted_in(preferred_language="ru")

    send_issue(prepare_issue(PERIOD))

    (message,) = mail.outbox
    assert message.to == [reader.email]
    body = message.body + message.alternatives[0][0]
    assert "Русская статья" in body and "Вопрос на русском" in body
    assert "English article" not in body
    links = [line.strip() for line in message.body.splitlines() if line.strip().startswith("http")]
    assert links and all("/ru/" in link for link in links)
    assert "/ru/email-preferences/" in body
    assert 'lang="ru"' in message.alternatives[0][0]
