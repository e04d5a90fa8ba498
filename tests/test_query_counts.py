"""The public pages run a fixed number of SQL queries however many articles there are.

Each page is measured with 10 articles, then again after the knowledge base has grown to 1,000.
Articles are built directly in the page tree (live, without revisions): importing 1,000 through
the importer would take minutes and is tested in test_importer.py.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kb.models import ArticleDailyView, ArticlePage, CategoryPage
from tests.factories import BROWSER_USER_AGENT, make_article

#: A normal browser: the article page counts its view (one write), as it would for a reader.
#: The most queries each page may run, at any size of the knowledge base.
#: The article page's 22: 18 for the page itself, then 3 to record the view in the support event
#: log (an insert inside its own savepoint, so a failure can never break the page) and 1 for the
#: reader's own vote on the live revision ("Did this solve your problem?").
MAX_QUERIES = {"help-center home": 13, "category page": 12, "article page": 22}
CATEGORIES = [("net", "Networking"), ("printing", "Printing")]


def realistic_body(n: int) -> list[tuple]:
    """What an imported how-to article looks like: text, three sections, steps and a command."""
    return [
        ("paragraph", f"<p>Article {n} explains one task, with a <a href='https://help.gnome.org/'>link</a>.</p>"),
        ("heading", {"text": "Before you begin", "level": "h2"}),
        ("paragraph", "<p>Make sure you are connected and have <b>administrator</b> rights.</p>"),
        ("heading", {"text": "Steps", "level": "h2"}),
        ("steps", {"steps": ["<p>Open <b>Settings</b>.</p>", "<p>Choose a panel.</p>", "<p>Press Apply.</p>"]}),
        ("heading", {"text": "From the command line", "level": "h2"}),
        ("code", {"language": "shell", "code": "gsettings list-recursively org.gnome.desktop"}),
    ]


def grow_knowledge_base(categories: list[CategoryPage], until: int) -> None:
    """Add live articles, spread over the categories, until there are `until` English articles."""
    now = timezone.now()
    existing = ArticlePage.objects.filter(locale=categories[0].locale).count()
    with transaction.atomic():
        for n in range(existing, until):
            category = categories[n % len(categories)]
            published = now - timedelta(minutes=n)
            article = ArticlePage(
                title=f"How to do task {n:04d}",
                slug=f"task-{n:04d}",
                locale=category.locale,
                summary=f"A short answer about task {n}.",
                body=realistic_body(n),
                live=True,
                first_published_at=published,
                last_published_at=published,
            )
            category.add_child(instance=article)
            if n % 3 == 0:
                ArticleDailyView.objects.create(article=article, date=timezone.localdate(), views=n % 17 + 1)


@pytest.fixture
def knowledge_base(help_centers):
    """Two categories and the article a reader opens, with tags, a related article and views."""
    article = make_article(
        "Connect to a wireless network", category="net", category_title="Networking", tags=["wifi", "network"]
    )
    related = make_article("Forget a wireless network", category="net", category_title="Networking")
    make_article("Set up a printer", category="printing", category_title="Printing")
    article.related_articles.create(related_page=related)
    article.save_revision().publish()
    return {
        "article": ArticlePage.objects.get(pk=article.pk),
        "categories": [CategoryPage.objects.get(slug=slug, locale__language_code="en") for slug, _ in CATEGORIES],
    }


def count_queries(client, url: str) -> int:
    """Queries for one request of a page, after a first request has warmed the site caches."""
    client.get(url, HTTP_USER_AGENT=BROWSER_USER_AGENT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_USER_AGENT=BROWSER_USER_AGENT)
    assert response.status_code == 200
    return len(queries)


def test_public_pages_run_the_same_queries_with_10_and_with_1000_articles(
    client, knowledge_base, django_assert_max_num_queries
):
    pages = {
        "help-center home": "/en/",
        "category page": knowledge_base["categories"][0].url,
        "article page": knowledge_base["article"].url,
    }
    measured = {}

    for size in (10, 1000):
        grow_knowledge_base(knowledge_base["categories"], until=size)
        assert ArticlePage.objects.live().filter(locale__language_code="en").count() == size
        for name, url in pages.items():
            measured[name, size] = count_queries(client, url)
            with django_assert_max_num_queries(MAX_QUERIES[name]):
                client.get(url, HTTP_USER_AGENT=BROWSER_USER_AGENT)

    print(
        "queries per page (10 / 1000 articles):", {name: (measured[name, 10], measured[name, 1000]) for name in pages}
    )
    for name in pages:
        assert measured[name, 10] == measured[name, 1000], name


def test_the_article_page_counts_a_readers_view_but_not_a_bots(client, knowledge_base):
    article = knowledge_base["article"]

    client.get(article.url, HTTP_USER_AGENT=BROWSER_USER_AGENT)
    client.get(article.url, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    client.get(article.url)

    assert ArticleDailyView.objects.get(article=article).views == 1
