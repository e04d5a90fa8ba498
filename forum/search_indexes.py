"""Forum topics in the unified search, with the same fields and analyzers as help articles.

A topic's document holds its title, opening post, accepted answer and the first replies (up to
``MAX_INDEXED_POSTS`` visible posts and ``MAX_INDEXED_CHARACTERS``), so re-indexing a topic after
a reply costs the same for a 20-post and a 5,000-post topic. Deleted, hidden and held posts are
never indexed. Hidden and deleted topics, and topics whose opening post waits for approval, are
not indexed at all; forum.search removes them.
"""

from django.db.models import Exists, OuterRef
from django.utils.html import strip_tags
from django.utils.translation import override
from haystack import indexes

from forum.models import Post, Topic
from kb.search.analysis import text_analyzer, title_analyzer, words_analyzer
from kb.search_indexes import TITLE_BOOST, public_words, spelling_field

MAX_INDEXED_POSTS = 50
MAX_INDEXED_CHARACTERS = 100_000
SUMMARY_CHARACTERS = 240


def indexed_posts(topic) -> list[Post]:
    posts = Post.objects.filter(topic=topic, deleted_at__isnull=True, is_hidden=False, is_approved=True)
    first = list(posts.order_by("position").only("pk", "position", "body_html")[:MAX_INDEXED_POSTS])
    if topic.accepted_answer_id and all(post.pk != topic.accepted_answer_id for post in first):
        first += list(posts.filter(pk=topic.accepted_answer_id).only("pk", "position", "body_html"))
    return first


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

    def prepare(self, topic):
        # One read of the posts serves both the text and the summary.
        self._posts_html = [strip_tags(post.body_html) for post in indexed_posts(topic)]
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
