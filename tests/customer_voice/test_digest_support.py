"""Builders shared by the digest tests (no tests here): people, and content dated inside a period."""

from datetime import timedelta

from django.utils import timezone

from accounts.consent import set_consent
from accounts.models import ConsentRecord
from customer_voice.services.digest import last_complete_week, period_bounds
from forum.models import Post, Topic
from kb.models import ArticlePage
from tests.factories import UserFactory, make_article
from tests.factories.forum import make_category, make_topic

PERIOD = last_complete_week()
STARTS, ENDS = period_bounds(PERIOD)
#: A moment inside PERIOD.
DURING = STARTS + timedelta(days=2)


def opted_in(**fields):
    """A customer who agreed to newsletters through the ledger, like a sign-up would."""
    user = UserFactory(**fields)
    set_consent(user, ConsentRecord.Topic.NEWSLETTER, True, ConsentRecord.Source.SIGN_UP)
    return user


def article_during(title, **kwargs) -> ArticlePage:
    article = make_article(title, **kwargs)
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=DURING, last_published_at=DURING)
    return ArticlePage.objects.get(pk=article.pk)


def accepted_answer_during(title, *, category=None, language="en", answer="The answer is in the settings.") -> Topic:
    """A question in ``category`` whose second post, written during PERIOD, is the accepted answer."""
    topic = make_topic(title, category=category or make_category(), posts=2, body=answer, language=language)
    post = topic.posts.get(position=2)
    Post.objects.filter(pk=post.pk).update(created_at=DURING)
    Topic.objects.filter(pk=topic.pk).update(accepted_answer=post)
    return Topic.objects.get(pk=topic.pk)


def outside_period() -> timezone.datetime:
    return STARTS - timedelta(days=3)
