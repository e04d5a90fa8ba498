"""Indexing throughput and search latency at a realistic size: 10,000 articles + 100,000 forum documents.

Run from the project root (about 15 minutes on 2 cores at full size)::

    .venv/bin/python -m bench.speed                                # 10,000 articles, 100,000 documents
    .venv/bin/python -m bench.speed --articles 1000 --documents 10000   # a quick run

In a fresh temporary DATA_DIR it:

1. migrates, and creates the articles in-process: live ``ArticlePage`` rows added with treebeard's
   ``add_child`` in batches, without revisions (the benchmark needs neither revisions nor
   Markdown); their text mixes paragraphs of GNOME Help and of coffee.stackexchange.com posts, so
   no two documents are alike;
2. times ``manage.py rebuild_index --noinput`` over the articles (documents per second);
3. writes the forum documents straight into the Whoosh index through the backend, with the
   index's fields (text, title, language, category, content_type="topic", audience="public", url,
   summary) under the model identifier "forum.topic" (there is no forum model yet). The engine ranks
   and counts them like articles; the service's database re-check drops them (no such model), so
   they cost what forum topics would cost the engine and never show;
4. starts daphne and asks 200 distinct queries (1-3 words, and whole customer sentences) of
   ``/api/suggest/`` and ``/en/search/``, sequentially after a warm-up: p50, p95 and max;
5. profiles the service calls in-process against the same index (``--no-profile`` to skip).

Text: GNOME Help (CC BY-SA 3.0, the GNOME Documentation Project) and coffee.stackexchange.com
(CC BY-SA 3.0, Stack Exchange contributors).
"""

import argparse
import cProfile
import html
import io
import pstats
import random
import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml
from tqdm import tqdm

from bench.harness import CORPORA_DIR, machine_line, manage, percentile, running_server, setup_django, temporary_site

GNOME_DIR = CORPORA_DIR / "gnome-help" / "en"
POSTS_FILE = CORPORA_DIR / "coffee-stackexchange" / "Posts.xml"
ATTRIBUTION = (
    "Text: GNOME Help (CC BY-SA 3.0, the GNOME Documentation Project); "
    "coffee.stackexchange.com posts (CC BY-SA 3.0, Stack Exchange contributors)"
)
SEED = 20240611
ARTICLE_BATCH = 250
DOCUMENT_BATCH = 5_000
QUERY_COUNT = 200
WARM_UP_QUERIES = 10
REQUEST_TIMEOUT = 60
FORUM_MODEL = "forum.topic"
#: Queries per service call in the in-process profile (a mix of short queries and sentences).
PROFILE_QUERIES = 12
#: Seconds each endpoint may spend on the timed queries before the run stops asking.
LATENCY_BUDGET_SECONDS = 240
#: Targets on 2 cores (milliseconds, 95th percentile over HTTP).
TARGET_SUGGEST_P95_MS = 50
TARGET_SEARCH_P95_MS = 150
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
TITLE_VARIANTS = ["", "", "", " on a laptop", " after an update", " at work", " (step by step)", " for beginners",
                  " on the new model", " in the settings", " when travelling", " with a second account"]  # fmt: skip
SENTENCE_OPENERS = ["how do i ", "how can i ", "i can't ", "help: ", "why can't i ", "is it possible to ", ""]
STOP = set(
    "the a an to of and or in on for is my i do how what with it your you can does be are from at as by this that "
    "should there".split()
)


@dataclass
class Corpus:
    """Sentences and paragraphs of real help and Q&A text, to mix into documents."""

    titles: list[str] = field(default_factory=list)
    question_titles: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)


def strip_html(text: str) -> list[str]:
    """Paragraphs of an HTML post body, as plain text."""
    paragraphs = re.split(r"</p>|<br\s*/?>|\n\s*\n", text)
    cleaned = (" ".join(html.unescape(TAG.sub(" ", part)).split()) for part in paragraphs)
    return [part for part in cleaned if len(part) > 40]


def load_corpus() -> Corpus:
    corpus, categories = Corpus(), {}
    for path in sorted(GNOME_DIR.glob("*.md")):
        match = FRONT_MATTER.match(path.read_text("utf-8"))
        if not match:
            continue
        meta = yaml.safe_load(match.group(1))
        corpus.titles.append(str(meta["title"]))
        categories[str(meta.get("category") or "general")] = str(meta.get("category_title") or "General")
        corpus.paragraphs.extend(p.strip() for p in match.group(2).split("\n\n") if len(p.strip()) > 40)
    for _event, row in ElementTree.iterparse(POSTS_FILE):  # noqa: S314 - the project's own corpus file
        if row.tag != "row":
            continue
        if row.get("PostTypeId") == "1" and row.get("Title"):
            corpus.question_titles.append(html.unescape(row.get("Title")))
        corpus.paragraphs.extend(strip_html(row.get("Body") or ""))
        row.clear()
    corpus.categories = sorted(categories.items())
    return corpus


def article_text(corpus: Corpus, rng: random.Random) -> tuple[str, str, list[str]]:
    base = rng.choice(corpus.titles if rng.random() < 0.7 else corpus.question_titles)
    title = (base + rng.choice(TITLE_VARIANTS))[:255]
    paragraphs = rng.sample(corpus.paragraphs, rng.randint(3, 8))
    summary = paragraphs[0][:200].rsplit(" ", 1)[0]
    return title, summary, paragraphs


def create_articles(count: int, corpus: Corpus, rng: random.Random) -> float:
    """Live articles, ``count`` of them, spread over the GNOME categories; returns the seconds taken."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from kb.importing import ArticleSource, ensure_category
    from kb.models import ArticlePage

    def source(slug: str, title: str) -> ArticleSource:
        return ArticleSource(Path(), "", "", "en", "", "", category=slug, category_title=title)

    categories = [ensure_category(source(slug, title)) for slug, title in corpus.categories]
    started = time.perf_counter()
    now = timezone.now()
    with tqdm(total=count, desc="Creating articles", unit="article", file=sys.stdout) as bar:
        for batch_start in range(0, count, ARTICLE_BATCH):
            with transaction.atomic():
                for number in range(batch_start, min(count, batch_start + ARTICLE_BATCH)):
                    title, summary, paragraphs = article_text(corpus, rng)
                    category = categories[number % len(categories)]
                    page = ArticlePage(
                        title=title,
                        slug=f"{slugify(title)[:60]}-{number}",
                        summary=summary,
                        body=[("paragraph", f"<p>{html.escape(text)}</p>") for text in paragraphs],
                        locale=category.locale,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                    )
                    category.add_child(instance=page)
                    bar.update(1)
    return time.perf_counter() - started


def forum_document(number: int, corpus: Corpus, rng: random.Random, categories: list[str]) -> dict:
    title = rng.choice(corpus.question_titles + corpus.titles)
    if rng.random() < 0.5:
        title = rng.choice(SENTENCE_OPENERS) + title[0].lower() + title[1:]
    paragraphs = rng.sample(corpus.paragraphs, rng.randint(1, 4))
    category = rng.choice(categories)
    return {
        "id": f"{FORUM_MODEL}.{number}",
        "django_ct": FORUM_MODEL,
        "django_id": str(number),
        "text": "\n".join([title, *paragraphs]),
        "title": title,
        "language": "en",
        "language_exact": "en",
        "category": category,
        "category_exact": category,
        "content_type": "forum_topic",
        "content_type_exact": "forum_topic",
        "audience": "public",
        "url": f"/en/forum/topic/{number}/",
        "summary": paragraphs[0][:200],
    }


def write_documents(batches, total: int) -> float:
    """Bulk-write batches of documents through the backend, one commit a batch; returns the seconds taken."""
    from haystack import connections

    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    started = time.perf_counter()
    with tqdm(total=total, desc="Writing forum documents", unit="doc", file=sys.stdout) as bar:
        for documents in batches:
            # The backend's own lock, so the write is what a bulk import through it would be;
            # add_document, not update_document: these ids are new, there is nothing to replace.
            with backend.write_lock():
                writer = backend.index.writer(timeout=60)
                for document in documents:
                    writer.add_document(**document)
                writer.commit()
            bar.update(len(documents))
    return time.perf_counter() - started


def write_forum_documents(count: int, corpus: Corpus, rng: random.Random) -> float:
    """Bulk-write ``count`` forum-sized documents through the backend; returns the seconds taken."""
    categories = [title for _slug, title in corpus.categories]
    batches = (
        [forum_document(number, corpus, rng, categories) for number in range(start, min(count, start + DOCUMENT_BATCH))]
        for start in range(0, count, DOCUMENT_BATCH)
    )
    return write_documents(batches, count)


def make_queries(corpus: Corpus, rng: random.Random, count: int) -> list[str]:
    """``count`` distinct queries: half 1-3 words, half whole customer sentences."""
    words = sorted(
        {
            word
            for title in corpus.titles + corpus.question_titles
            for word in re.findall(r"[a-z][a-z'-]+", title.lower())
            if word not in STOP and len(word) > 2
        }
    )
    queries: list[str] = []
    seen: set[str] = set()

    def add(query: str) -> None:
        query = " ".join(query.split())
        if query and query not in seen:
            seen.add(query)
            queries.append(query)

    while len(queries) < count // 2:
        add(" ".join(rng.sample(words, rng.choice([1, 1, 2, 2, 3]))))
    sentences = corpus.question_titles + [rng.choice(SENTENCE_OPENERS) + title.lower() for title in corpus.titles]
    rng.shuffle(sentences)
    for sentence in sentences:
        if len(queries) >= count:
            break
        add(sentence if rng.random() < 0.5 else sentence.lower().rstrip("?") + rng.choice(["?", "", " please"]))
    return queries[:count]


def timed_requests(
    session, url: str, queries: list[str], extra: dict, label: str, budget: float
) -> tuple[list[float], int]:
    """Milliseconds per sequential GET, and how many answered anything but 200.

    Stops after ``budget`` seconds, so a slow engine cannot stretch the run without bound (the
    figures then say how many queries were measured).
    """
    timings, failures = [], 0
    deadline = time.monotonic() + budget
    for query in tqdm(queries, desc=label, unit="req", file=sys.stdout):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        response = session.get(url, params={"q": query, **extra}, timeout=REQUEST_TIMEOUT)
        response.content  # noqa: B018 - read the whole body inside the timing
        timings.append(1000 * (time.perf_counter() - started))
        failures += response.status_code != 200
    return timings, failures


def latency_line(name: str, timings: list[float], target: float) -> str:
    p95 = percentile(timings, 0.95)
    verdict = "met" if p95 <= target else "MISSED"
    return (
        f"  {name:<14} n={len(timings):<4} p50 {percentile(timings, 0.50):7.1f} ms   p95 {p95:7.1f} ms"
        f"   max {max(timings):7.1f} ms   (target p95 <= {target} ms: {verdict})"
    )


def profile_service(queries: list[str], *, top: int = 25) -> None:
    """cProfile of kb.search.service.suggest and .search in-process, against the same index."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from kb.search.service import search, suggest

    request = RequestFactory().get("/en/search/")
    request.user = AnonymousUser()
    request.session = {}
    sample = queries[:: max(1, len(queries) // PROFILE_QUERIES)][:PROFILE_QUERIES]
    for name, call in (
        ("suggest", lambda q: suggest(request, q, language="en")),
        ("search", lambda q: search(request, q, language="en")),
    ):
        call(sample[0])  # warm: searcher opened, analyzers loaded
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for query in sample:
            call(query)
        profiler.disable()
        per_call = 1000 * (time.perf_counter() - started) / len(sample)
        output = io.StringIO()
        pstats.Stats(profiler, stream=output).sort_stats("cumulative").print_stats(top)
        print(f"\n--- cProfile: service.{name}() x {len(sample)} queries, {per_call:.1f} ms per call (profiled) ---")
        print("\n".join(line for line in output.getvalue().splitlines() if line.strip())[:12000])


def build(data_dir: Path, args, corpus: Corpus, rng: random.Random) -> None:
    """Migrate, create the articles, rebuild the index over them, bulk-write the forum documents."""
    manage(data_dir, "migrate", "--noinput", "-v", "0")
    setup_django()
    seconds = create_articles(args.articles, corpus, rng)
    print(f"BUILD created {args.articles} articles in {seconds:.1f} s ({args.articles / seconds:.0f}/s)", flush=True)
    print("rebuild_index over the articles …", flush=True)
    seconds = manage(data_dir, "rebuild_index", "--noinput", quiet=True)
    print(
        f"BUILD rebuild_index: {args.articles} articles in {seconds:.1f} s "
        f"({args.articles / seconds:.1f} documents/s, including ~2 s of Django start-up)",
        flush=True,
    )
    if args.documents:
        seconds = write_forum_documents(args.documents, corpus, rng)
        print(
            f"BUILD bulk write: {args.documents} forum documents in {seconds:.1f} s "
            f"({args.documents / seconds:.0f} documents/s, batches of {DOCUMENT_BATCH})",
            flush=True,
        )
    if not args.no_optimize:
        print("optimize_search_index (merge segments) …", flush=True)
        seconds = manage(data_dir, "optimize_search_index", quiet=True)
        print(f"BUILD optimize_search_index: {seconds:.1f} s", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=QUERY_COUNT)
    parser.add_argument(
        "--latency-budget", type=float, default=LATENCY_BUDGET_SECONDS, help="Seconds per endpoint for timed queries."
    )
    parser.add_argument("--no-profile", action="store_true", help="Skip the in-process cProfile of the service.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR afterwards.")
    parser.add_argument(
        "--no-optimize", action="store_true", help="Measure the index as bulk writes leave it (several segments)."
    )
    parser.add_argument(
        "--reuse", type=Path, help="A DATA_DIR kept by an earlier run (--keep): skip the build, measure only."
    )
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    corpus = load_corpus()
    print(
        f"corpus: {len(corpus.paragraphs)} paragraphs, {len(corpus.titles)} help titles, "
        f"{len(corpus.question_titles)} question titles, {len(corpus.categories)} categories"
    )
    with temporary_site("kb-bench-speed-", keep=args.keep, reuse=args.reuse) as data_dir:
        print(f"DATA_DIR={data_dir}")
        if args.reuse:
            setup_django()
        else:
            build(data_dir, args, corpus, rng)
        index_bytes = sum(path.stat().st_size for path in (data_dir / "whoosh").glob("*"))
        segments = len(list((data_dir / "whoosh").glob("*.seg")))

        queries = make_queries(corpus, rng, args.queries + WARM_UP_QUERIES)
        warm_up, queries = queries[:WARM_UP_QUERIES], queries[WARM_UP_QUERIES:]
        with running_server(data_dir) as base_url, requests.Session() as session:
            print(f"server at {base_url}; warming up with {len(warm_up)} queries per endpoint", flush=True)
            for query in warm_up:
                session.get(f"{base_url}/api/suggest/", params={"q": query, "lang": "en"}, timeout=REQUEST_TIMEOUT)
                session.get(f"{base_url}/en/search/", params={"q": query}, timeout=REQUEST_TIMEOUT)
            started = time.perf_counter()
            health = session.get(f"{base_url}/healthz", timeout=REQUEST_TIMEOUT)
            health = f"HTTP {health.status_code} {health.text[:300]}"
            health_ms = 1000 * (time.perf_counter() - started)
            suggest_ms, suggest_failures = timed_requests(
                session, f"{base_url}/api/suggest/", queries, {"lang": "en"}, "GET /api/suggest/", args.latency_budget
            )
            search_ms, search_failures = timed_requests(
                session, f"{base_url}/en/search/", queries, {}, "GET /en/search/", args.latency_budget
            )

        short = sum(len(query.split()) <= 3 for query in queries)
        print()
        print("Search speed (build figures: the BUILD lines above)")
        print(f"  index: {index_bytes / 2**20:.0f} MiB in {segments} segments")
        print(f"  /healthz in {health_ms:.0f} ms: {health}")
        print(f"  {len(queries)} distinct queries ({short} of 1-3 words, {len(queries) - short} sentences), sequential")
        print(latency_line("/api/suggest/", suggest_ms, TARGET_SUGGEST_P95_MS))
        print(latency_line("/en/search/", search_ms, TARGET_SEARCH_P95_MS))
        if suggest_failures or search_failures:
            print(f"  non-200 answers: suggest {suggest_failures}, search {search_failures}")
        print(f"  {machine_line()}")
        print(f"  {ATTRIBUTION}")
        met = (
            percentile(suggest_ms, 0.95) <= TARGET_SUGGEST_P95_MS
            and percentile(search_ms, 0.95) <= TARGET_SEARCH_P95_MS
        )
        if not args.no_profile:
            profile_service(queries)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
