"""Forum topics in the unified search, with the same fields and analyzers as help articles.

A topic's document holds its title, opening post, accepted answer and the first replies (up to
``MAX_INDEXED_POSTS`` visible posts and ``MAX_INDEXED_CHARACTERS``), so re-indexing a topic after
a reply costs the same for a 20-post and a 5,000-post topic. Deleted, hidden and held posts are
never indexed. Hidden and deleted topics, and topics whose opening post waits for approval, are
not indexed at all; forum.search removes them.
"""

from django.db.models import Exists, F, OuterRef, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils.html import strip_tags
from django.utils.translation import override
from haystack import indexes

from forum.models import Post, Topic
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from kb.search_indexes import TITLE_BOOST, public_words, spelling_field

MAX_INDEXED_POSTS = 50
MAX_INDEXED_CHARACTERS = 100_000
SUMMARY_CHARACTERS = 240


def _visible_posts():
    return Post.objects.filter(deleted_at__isnull=True, is_hidden=False, is_approved=True)


def indexed_posts(topic) -> list[Post]:
    """The posts a topic's document holds: the first MAX_INDEXED_POSTS visible, and the accepted answer."""
    posts = _visible_posts().filter(topic=topic)
    first = list(posts.order_by("position").only("pk", "position", "body_html")[:MAX_INDEXED_POSTS])
    if topic.accepted_answer_id and all(post.pk != topic.accepted_answer_id for post in first):
        first += list(posts.filter(pk=topic.accepted_answer_id).only("pk", "position", "body_html"))
    return first


def indexed_posts_of(topics) -> dict[int, list[Post]]:
    """:func:`indexed_posts` of each topic (by id), in two queries however many topics.

    Each topic's first posts are numbered in the database (a window function), so a 5,000-post
    topic still sends only its first MAX_INDEXED_POSTS; accepted answers beyond them come in
    one more query.
    """
    by_topic = {topic.pk: [] for topic in topics}
    numbered = (
        _visible_posts()
        .filter(topic_id__in=list(by_topic))
        .annotate(number=Window(RowNumber(), partition_by=F("topic_id"), order_by=F("position").asc()))
        .filter(number__lte=MAX_INDEXED_POSTS)
        .only("pk", "topic_id", "position", "body_html")
        .order_by("topic_id", "position")
    )
    for post in numbered:
        by_topic[post.topic_id].append(post)
    missing = [
        topic.accepted_answer_id
        for topic in topics
        if topic.accepted_answer_id and all(post.pk != topic.accepted_answer_id for post in by_topic[topic.pk])
    ]
    if missing:
        accepted = _visible_posts().filter(pk__in=missing).only("pk", "topic_id", "position", "body_html")
        for post in accepted:
            if post.topic_id in by_topic:
                by_topic[post.topic_id].append(post)
    return by_topic


def topic_audiences(topic) -> list[str]:
    groups = sorted(group.pk for group in topic.category.restricted_to.all())
    return [f"group:{pk}" for pk in groups] or ["public"]


class TopicIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, analyzer=text_analyzer())
    title = indexes.CharField(model_attr="title", boost=TITLE_BOOST, analyzer=title_analyzer())
    #: The title's words unstemmed, for matching a word still being typed.
    title_words = indexes.CharField(model_attr="title", analyzer=words_analyzer(), stored=False)
    language = indexes.CharField(faceted=True)
    category = indexes.CharField(faceted=True)
    content_type = indexes.CharField(faceted=True)
    #: "public", or "group:<id>" for each group a restricted category is open to (kb.search.visibility).
    audience = indexes.MultiValueField()
    url = indexes.CharField(indexed=False)
    summary = indexes.CharField(indexed=False)
    #: Public topics' words only: what "Did you mean" draws on.
    spelling = spelling_field()

    def get_model(self):
        return Topic

    def index_queryset(self, using=None):
        held = Post.objects.filter(topic=OuterRef("pk"), position=1, is_approved=False)
        return (
            Topic.objects.filter(is_hidden=False, deleted_at__isnull=True)
            .exclude(Exists(held))
            .select_related("category")
            .prefetch_related("category__restricted_to")
        )

    def should_update(self, instance, **kwargs):
        return not instance.is_hidden and instance.deleted_at is None

    def preload(self, topics):
        """Read what ``prepare`` needs of a batch of topics in a constant number of queries.

        (kb.search.backend calls it before preparing a batch; the posts ride on the topics.)
        """
        prefetch_related_objects(topics, "category__restricted_to")
        posts = indexed_posts_of(topics)
        for topic in topics:
            topic.search_posts = posts[topic.pk]

    def prepare(self, topic):
        # One read of the posts serves both the text and the summary.
        posts = topic.search_posts if hasattr(topic, "search_posts") else indexed_posts(topic)
        self._posts_html = [strip_tags(post.body_html) for post in posts]
        data = super().prepare(topic)
        data["spelling"] = public_words(data)
        return data

    def prepare_language(self, topic):
        return topic.language

    def prepare_category(self, topic):
        return topic.category.name

    def prepare_content_type(self, topic):
        return "forum_topic"

    def prepare_audience(self, topic):
        return topic_audiences(topic)

    def prepare_url(self, topic):
        # The topic's own language prefix, whoever triggered the indexing.
        with override(topic.language):
            return topic.get_absolute_url()

    def prepare_summary(self, topic):
        opening = " ".join((self._posts_html[0] if self._posts_html else "").split())
        return opening[:SUMMARY_CHARACTERS]

    def prepare_text(self, topic):
        return "\n".join([topic.title, *self._posts_html])[:MAX_INDEXED_CHARACTERS]
