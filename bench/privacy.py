"""What privacy filtering costs: search latency with 10 % of the documents private vs none.

Run from the project root::

    .venv/bin/python -m bench.privacy                                    # 2,000 articles + 60,000 documents
    .venv/bin/python -m bench.privacy --articles 500 --documents 5000    # a quick run

It builds one site as bench.speed does (live articles in the database, indexed by
``rebuild_index``, plus forum-sized documents written through the backend), then copies the whole
DATA_DIR (database and index) and, in the copy only, makes a share of the documents private
(default 10 %): in turn restricted to the advisory council's group, to logged-in readers, and to
another group. Both copies are merged into one segment. Two daphne servers then serve the two
sites side by side, and every query is asked of both in turn (so load on the machine affects
both alike) as an anonymous visitor and as a council member (logged in, in the council group):
``/api/suggest/`` and ``/en/search/``, p50 and p95 over HTTP.

Target (issue 8): anonymous and member p95 on the site with private documents within 10 % of
the all-public site. The run prints the ratios and exits non-zero if a target is missed.

Text: GNOME Help (CC BY-SA 3.0, the GNOME Documentation Project) and coffee.stackexchange.com
(CC BY-SA 3.0, Stack Exchange contributors).
"""

import argparse
import random
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import requests
from tqdm import tqdm

from bench.harness import machine_line, manage, percentile, running_server, setup_django, temporary_site
from bench.speed import (
    ATTRIBUTION,
    DOCUMENT_BATCH,
    REQUEST_TIMEOUT,
    SEED,
    WARM_UP_QUERIES,
    create_articles,
    forum_document,
    load_corpus,
    make_queries,
    write_documents,
)

#: The p95 with private documents may be at most this much above the all-public p95.
TARGET_RATIO = 1.10
COUNCIL_GROUP = "Advisory council (bench)"
OTHER_GROUP = "Beta testers (bench)"


def make_private(index_dir: Path, documents: list[dict], share: float, audiences: list[str], rng) -> int:
    """Re-write ``share`` of all documents of the index at ``index_dir`` with private audiences."""
    from whoosh import index as whoosh_index

    index = whoosh_index.open_dir(str(index_dir))
    total = index.doc_count()
    chosen = rng.sample(documents, min(len(documents), round(share * total)))
    writer = index.writer(timeout=60)
    # One searcher finds every document to replace (update_document opens one per document,
    # which takes hours at 100,000 documents), then the private versions are added.
    with writer.searcher() as searcher:
        for document in chosen:
            writer.delete_document(searcher.document_number(id=document["id"]))
    for number, document in enumerate(tqdm(chosen, desc="Making documents private", unit="doc", file=sys.stdout)):
        writer.add_document(**{**document, "audience": audiences[number % len(audiences)]})
    writer.commit(optimize=True)
    return len(chosen)


def member_session(email: str, group_names: list[str]) -> str:
    """A logged-in session (its key) for a member of these groups, as a browser would hold."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    user, _created = get_user_model().objects.get_or_create(
        email=email, defaults={"username": email, "display_name": "Bench council member"}
    )
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def timed(session: requests.Session, url: str, params: dict) -> tuple[float, int]:
    started = time.perf_counter()
    response = session.get(url, params=params, timeout=REQUEST_TIMEOUT)
    response.content  # noqa: B018 - read the whole body inside the timing
    return 1000 * (time.perf_counter() - started), response.status_code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--documents", type=int, default=60_000)
    parser.add_argument("--private-share", type=float, default=0.10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep both temporary DATA_DIRs afterwards.")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    corpus = load_corpus()

    with temporary_site("kb-bench-privacy-public-", keep=args.keep) as public_dir:
        print(f"DATA_DIR (all public)={public_dir}")
        manage(public_dir, "migrate", "--noinput", "-v", "0")
        setup_django()
        from django.contrib.auth.models import Group
        from django.db import connections

        council = Group.objects.get_or_create(name=COUNCIL_GROUP)[0]
        other = Group.objects.get_or_create(name=OTHER_GROUP)[0]
        member_key = member_session("council-bench@example.com", [COUNCIL_GROUP])
        seconds = create_articles(args.articles, corpus, rng)
        print(f"BUILD created {args.articles} articles in {seconds:.1f} s", flush=True)
        seconds = manage(public_dir, "rebuild_index", "--noinput", quiet=True)
        print(f"BUILD rebuild_index: {seconds:.1f} s", flush=True)
        categories = [title for _slug, title in corpus.categories]
        documents = [forum_document(number, corpus, rng, categories) for number in range(args.documents)]
        batches = (documents[start : start + DOCUMENT_BATCH] for start in range(0, len(documents), DOCUMENT_BATCH))
        seconds = write_documents(batches, len(documents))
        print(f"BUILD bulk write: {args.documents} documents in {seconds:.1f} s", flush=True)
        seconds = manage(public_dir, "optimize_search_index", quiet=True)
        print(f"BUILD optimize_search_index: {seconds:.1f} s", flush=True)
        connections.close_all()

        private_dir = Path(tempfile.mkdtemp(prefix="kb-bench-privacy-private-"))
        shutil.rmtree(private_dir)
        shutil.copytree(public_dir, private_dir)
        audiences = [f"group:{council.pk}", "login", f"group:{other.pk}"]
        made = make_private(private_dir / "whoosh", documents, args.private_share, audiences, rng)
        total = args.articles + args.documents
        print(
            f"BUILD private copy: {made} of {total} documents private ({100 * made / total:.1f} %), merged", flush=True
        )

        queries = make_queries(corpus, rng, args.queries + WARM_UP_QUERIES)
        warm_up, queries = queries[:WARM_UP_QUERIES], queries[WARM_UP_QUERIES:]
        readers = {"anonymous": {}, "member": {"sessionid": member_key}}
        endpoints = {"suggest": ("/api/suggest/", {"lang": "en"}), "search": ("/en/search/", {})}
        timings = {
            (site, reader, endpoint): []
            for site in ("public", "private")
            for reader in readers
            for endpoint in endpoints
        }
        failures = 0
        try:
            with ExitStack() as stack:
                bases = {
                    "public": stack.enter_context(running_server(public_dir)),
                    "private": stack.enter_context(running_server(private_dir)),
                }
                sessions = {}
                for reader, cookies in readers.items():
                    for site in bases:
                        session = stack.enter_context(requests.Session())
                        session.cookies.update(cookies)
                        sessions[(site, reader)] = session
                for query in warm_up:
                    for (site, _reader), session in sessions.items():
                        for path, extra in endpoints.values():
                            timed(session, bases[site] + path, {"q": query, **extra})
                for query in tqdm(queries, desc="Queries (both sites, both readers)", unit="q", file=sys.stdout):
                    for reader in readers:
                        for endpoint, (path, extra) in endpoints.items():
                            # Alternate which site goes first, so neither always follows the other.
                            order = ("public", "private") if rng.random() < 0.5 else ("private", "public")
                            for site in order:
                                ms, status = timed(sessions[(site, reader)], bases[site] + path, {"q": query, **extra})
                                timings[(site, reader, endpoint)].append(ms)
                                failures += status != 200
        finally:
            if not args.keep:
                shutil.rmtree(private_dir, ignore_errors=True)
            else:
                print(f"kept private DATA_DIR={private_dir}")

    print()
    print(
        f"Privacy filtering cost: {total} documents, {made} private ({100 * made / total:.1f} %), "
        f"{len(queries)} queries"
    )
    met = True
    for reader in readers:
        for endpoint in endpoints:
            public, private = timings[("public", reader, endpoint)], timings[("private", reader, endpoint)]
            ratio = percentile(private, 0.95) / percentile(public, 0.95)
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            met = met and ratio <= TARGET_RATIO
            print(
                f"  {reader:<9} {endpoint:<7} all public: p50 {percentile(public, 0.5):6.1f} "
                f"p95 {percentile(public, 0.95):6.1f} ms"
                f"   private: p50 {percentile(private, 0.5):6.1f} p95 {percentile(private, 0.95):6.1f} ms"
                f"   p95 ratio {ratio:.3f} (target <= {TARGET_RATIO}: {verdict})"
            )
    if failures:
        print(f"  non-200 answers: {failures}")
        met = False
    print(f"  {machine_line()}")
    print(f"  {ATTRIBUTION}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
