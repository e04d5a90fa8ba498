"""Relevance of the site search on a labelled set: COVID-QA FAQ entries as articles, real paraphrases as queries.

Run from the project root::

    .venv/bin/python -m bench.relevance

In a fresh temporary DATA_DIR it migrates, writes the 213 FAQ entries as Markdown help articles
(title = question, body = answer paragraphs, one category) and imports them with
``manage.py import_articles``, runs ``manage.py rebuild_index --noinput``, starts daphne, and asks
each of the 244 queries over HTTP:

* ``GET /api/suggest/?q=…&lang=en`` (top 5): hit@1, hit@5 and MRR@5;
* ``GET /en/search/?q=…`` (first page, 10 results, parsed from the HTML): hit@10 and MRR@10.

The API shows only 5 results, so MRR@10 can only come from the search page; both paths go through
the same service (kb.search.service), so their first five should agree (the script checks).

Data: COVID-QA by deepset GmbH (deepset-ai/COVID-QA, data/faqs), Apache-2.0.
"""

import argparse
import json
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
import yaml

from bench.harness import CORPORA_DIR, machine_line, manage, running_server, setup_django, temporary_site

FAQ_FILE = CORPORA_DIR / "covid-qa" / "faq.jsonl"
QUERIES_FILE = CORPORA_DIR / "covid-qa" / "queries.jsonl"
ATTRIBUTION = "COVID-QA FAQ data: deepset GmbH (deepset-ai/COVID-QA), Apache-2.0"
CATEGORY = "covid-19"
CATEGORY_TITLE = "COVID-19"
#: The importer refuses longer titles; one question (317 characters) is cut at a word boundary.
MAX_TITLE_LENGTH = 255
#: Targets agreed for the help-center search (plain Whoosh any-term: about 0.64 and 0.48).
TARGET_HIT_AT_5 = 0.80
TARGET_MRR_AT_10 = 0.65
REQUEST_TIMEOUT = 30


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def article_slug(faq_id) -> str:
    return f"faq-{faq_id}"


def short_title(question: str) -> str:
    question = " ".join(question.split())
    if len(question) <= MAX_TITLE_LENGTH:
        return question
    return question[: MAX_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def write_articles(faqs: list[dict], folder: Path) -> None:
    """One Markdown file with front matter per FAQ entry, in the importer's format."""
    folder.mkdir(parents=True)
    for faq in faqs:
        front_matter = {
            "title": short_title(faq["question"]),
            "slug": article_slug(faq["faq_id"]),
            "locale": "en",
            "translation_key": article_slug(faq["faq_id"]),
            "summary": "",
            "category": CATEGORY,
            "category_title": CATEGORY_TITLE,
        }
        paragraphs = [" ".join(part.split()) for part in faq["answer"].split("\n\n") if part.strip()]
        text = "---\n" + yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False) + "---\n"
        (folder / f"{article_slug(faq['faq_id'])}.md").write_text(text + "\n\n".join(paragraphs) + "\n", "utf-8")


def article_paths() -> dict[str, str]:
    """slug -> URL path of every live imported article (read in-process from the same database)."""
    setup_django()
    from kb.models import ArticlePage

    return {page.slug: urlsplit(page.url).path for page in ArticlePage.objects.live()}


class SearchResultLinks(HTMLParser):
    """The result links of the search page, in order: ``<li class="search-result">…<h2><a href>``."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self._in_result = self._in_heading = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "li" and "search-result" in (attributes.get("class") or "").split():
            self._in_result = True
        elif tag == "h2" and self._in_result:
            self._in_heading = True
        elif tag == "a" and self._in_heading:
            self.links.append(attributes.get("href") or "")
            self._in_result = self._in_heading = False

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_result = self._in_heading = False


def target_path(href: str) -> str:
    """The article path a result link leads to, through a click-tracking link (``…/search/click/?…&to=<url>``) too."""
    parts = urlsplit(href)
    if parts.path.rstrip("/").endswith("/search/click"):
        destination = parse_qs(parts.query).get("to", [""])[0]
        return urlsplit(destination).path
    return parts.path


def rank_of(paths: list[str], gold: str) -> int | None:
    """1-based rank of ``gold`` among ``paths``, or None."""
    return paths.index(gold) + 1 if gold in paths else None


def reciprocal(rank: int | None, cutoff: int) -> float:
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


def ask(session: requests.Session, base_url: str, queries: list[dict], paths: dict[str, str]) -> dict:
    api_ranks, page_ranks, disagreements, misses = [], [], 0, []
    api_times, page_times = [], []
    for number, item in enumerate(queries, 1):
        gold = paths[article_slug(item["gold_faq_id"])]
        started = time.perf_counter()
        response = session.get(
            f"{base_url}/api/suggest/", params={"q": item["query"], "lang": "en"}, timeout=REQUEST_TIMEOUT
        )
        api_times.append(time.perf_counter() - started)
        response.raise_for_status()
        api_paths = [urlsplit(result["url"]).path for result in response.json()["results"]]

        started = time.perf_counter()
        response = session.get(f"{base_url}/en/search/", params={"q": item["query"]}, timeout=REQUEST_TIMEOUT)
        page_times.append(time.perf_counter() - started)
        response.raise_for_status()
        parser = SearchResultLinks()
        parser.feed(response.text)
        page_paths = [target_path(href) for href in parser.links[:10]]

        api_ranks.append(rank_of(api_paths, gold))
        page_ranks.append(rank_of(page_paths, gold))
        disagreements += api_paths != page_paths[: len(api_paths)]
        if page_ranks[-1] is None:
            misses.append(item)
        if number % 50 == 0 or number == len(queries):
            print(f"  asked {number}/{len(queries)} queries", flush=True)
    return {
        "api_ranks": api_ranks,
        "page_ranks": page_ranks,
        "disagreements": disagreements,
        "misses": misses,
        "api_seconds": sum(api_times),
        "page_seconds": sum(page_times),
    }


def report(outcome: dict, *, query_count: int, corpus_size: int) -> bool:
    api, page = outcome["api_ranks"], outcome["page_ranks"]
    n = len(api)
    hit_at_1 = sum(rank == 1 for rank in api) / n
    hit_at_5 = sum(rank is not None for rank in api) / n
    mrr_at_5 = sum(reciprocal(rank, 5) for rank in api) / n
    page_hit_at_1 = sum(rank == 1 for rank in page) / n
    page_hit_at_10 = sum(rank is not None for rank in page) / n
    mrr_at_10 = sum(reciprocal(rank, 10) for rank in page) / n
    hit5_ok, mrr_ok = hit_at_5 >= TARGET_HIT_AT_5, mrr_at_10 >= TARGET_MRR_AT_10
    print()
    print(f"COVID-QA relevance: {query_count} queries against {corpus_size} FAQ articles (lang=en)")
    print(f"  /api/suggest/ (top 5):   hit@1 {hit_at_1:.3f}   hit@5 {hit_at_5:.3f}   MRR@5 {mrr_at_5:.3f}")
    print(
        f"  /en/search/ (first 10):  hit@1 {page_hit_at_1:.3f}   hit@10 {page_hit_at_10:.3f}   MRR@10 {mrr_at_10:.3f}"
    )
    print(f"  API top 5 differs from the search page's first 5 for {outcome['disagreements']} queries")
    print(f"  not in the first 10 of the search page: {len(outcome['misses'])} queries")
    print(
        f"  mean latency: suggest {1000 * outcome['api_seconds'] / n:.1f} ms, "
        f"search page {1000 * outcome['page_seconds'] / n:.1f} ms"
    )
    print(f"  target hit@5 >= {TARGET_HIT_AT_5}: {'met' if hit5_ok else 'MISSED'}")
    print(f"  target MRR@10 >= {TARGET_MRR_AT_10} (search page): {'met' if mrr_ok else 'MISSED'}")
    print(f"  {machine_line()}")
    print(f"  {ATTRIBUTION}")
    return hit5_ok and mrr_ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR for profiling.")
    parser.add_argument("--show-misses", type=int, default=0, help="Print this many queries that missed the top 10.")
    args = parser.parse_args(argv)
    faqs, queries = read_jsonl(FAQ_FILE), read_jsonl(QUERIES_FILE)
    with temporary_site("kb-bench-relevance-", keep=args.keep) as data_dir:
        print(f"DATA_DIR={data_dir}")
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        write_articles(faqs, data_dir / "articles" / "en")
        print(f"importing {len(faqs)} articles …", flush=True)
        seconds = manage(data_dir, "import_articles", str(data_dir / "articles"), "--no-progress")
        print(f"  imported in {seconds:.1f} s")
        seconds = manage(data_dir, "rebuild_index", "--noinput", quiet=True)
        print(f"  rebuild_index in {seconds:.1f} s")
        paths = article_paths()
        missing = [faq["faq_id"] for faq in faqs if article_slug(faq["faq_id"]) not in paths]
        if missing:
            print(f"not imported: {missing}", file=sys.stderr)
            return 2
        with running_server(data_dir) as base_url, requests.Session() as session:
            print(f"asking {len(queries)} queries at {base_url} …", flush=True)
            outcome = ask(session, base_url, queries, paths)
        met = report(outcome, query_count=len(queries), corpus_size=len(faqs))
        for item in outcome["misses"][: args.show_misses]:
            print(f"  miss: {item['query']!r} -> gold {item['gold_question']!r}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
