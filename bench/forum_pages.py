"""Forum topic pages at size: page 1 vs page 200 of a 5,000-post topic, over HTTP against daphne.

A topic page is a range of post positions found through the (topic, position) index, never an
OFFSET, so a deep page should cost what the first page costs. This builds one topic with
``--posts`` posts (bodies rendered and sanitized once, as posting does) in a throwaway DATA_DIR,
serves it with daphne (bench.harness), asks for pages in turn, and prints p50/p95/mean per page,
plus the number of SQL queries each page runs (in-process, Django's test client).

    .venv/bin/python -m bench.forum_pages                    # 5,000 posts, 200 requests per page
    .venv/bin/python -m bench.forum_pages --posts 20000 --requests 100 --keep
"""

import argparse
import statistics
import sys
import time

import requests

from bench.harness import machine_line, manage, percentile, running_server, setup_django, temporary_site

PAGES = (1, 2, 100, 200, 250)
BODY = (
    "I tried grinding finer and the shot still runs fast. **Tamping** harder did not help either; "
    "the [guide](https://example.com/guide) says 9 bar, and my gauge shows {n}. Any ideas?\n\n"
    "> Quoted advice from earlier in the thread\n\n```\nshot time: 18 s\n```"
)


def build_topic(posts: int):
    # Imported here: Django is set up only once the temporary DATA_DIR exists (bench.harness).
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from forum.markdown import render
    from forum.models import Category, Post, Topic
    from kb.importing import ensure_help_center

    ensure_help_center("en")
    author = get_user_model().objects.create_user(email="bench@example.com", password=None, display_name="Bench")
    category = Category.objects.create(name="Bench", slug="bench")
    now = timezone.now()
    topic = Topic.objects.create(
        category=category, title="A very long espresso thread", slug="a-very-long-espresso-thread", author=author,
        post_count=posts, reply_count=posts - 1, last_approved_position=posts, created_at=now, last_posted_at=now,
    )  # fmt: skip
    batch = []
    for position in range(1, posts + 1):
        text = BODY.format(n=position)
        batch.append(Post(topic=topic, author=author, position=position, body_markdown=text, body_html=render(text)))
        if len(batch) == 1000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    return topic


def count_queries(url: str) -> int:
    # Imported here for the same reason as in build_topic.
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 bench")
    client.get(url)  # warm caches (site root, templates)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200, help="Requests per page (after 10 warm-up ones).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR afterwards.")
    args = parser.parse_args(argv)
    pages = [page for page in PAGES if (page - 1) * 20 < args.posts]
    with temporary_site("forum-bench-pages-", keep=args.keep) as data_dir:
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        setup_django()
        started = time.perf_counter()
        topic = build_topic(args.posts)
        print(f"built a {args.posts:,}-post topic in {time.perf_counter() - started:.1f}s")
        path = topic.get_absolute_url()
        queries = {page: count_queries(f"{path}?page={page}") for page in pages}
        timings = {page: [] for page in pages}
        with running_server(data_dir) as base_url, requests.Session() as session:
            session.headers["User-Agent"] = "Mozilla/5.0 (bench.forum_pages)"
            for page in pages:  # warm up
                for _n in range(10):
                    session.get(f"{base_url}{path}?page={page}").raise_for_status()
            for _n in range(args.requests):
                for page in pages:  # interleaved, so drift affects every page alike
                    begun = time.perf_counter()
                    response = session.get(f"{base_url}{path}?page={page}")
                    timings[page].append((time.perf_counter() - begun) * 1000)
                    response.raise_for_status()
        print(machine_line())
        print(f"topic: {args.posts:,} posts, {args.requests} requests per page, anonymous reader, daphne, SQLite")
        print(f"{'page':>6} {'positions':>13} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
        for page in pages:
            values = timings[page]
            first, last = (page - 1) * 20 + 1, min(page * 20, args.posts)
            print(
                f"{page:>6} {f'{first}-{last}':>13} {queries[page]:>8} {percentile(values, 0.5):>8.1f} "
                f"{percentile(values, 0.95):>8.1f} {statistics.fmean(values):>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
