"""The council's ideas board at size: 10,000 ideas and 200,000 votes, over HTTP against daphne.

Builds the board in a throwaway DATA_DIR (bulk rows with the counts the services keep: vote_count,
trending_score), logs a council member in (a real session cookie), serves the site with daphne
(bench.harness) and asks for page 1 and page 100 of the board sorted by votes and by trending, in
turn; prints p50/p95/mean per page and the SQL queries each page runs (in-process, test client).

    .venv/bin/python -m bench.council_board                       # 10,000 ideas, 200,000 votes
    .venv/bin/python -m bench.council_board --ideas 2000 --votes 40000 --requests 50
"""

import argparse
import random
import statistics
import sys
import time

import requests

from bench.harness import machine_line, manage, percentile, running_server, setup_django, temporary_site

PAGES = (1, 100)
SORTS = ("votes", "trending")
BOARD = "/en/council/ideas/"
WORDS = (
    "export dashboard report filter bulk edit calendar sync webhook audit trail permissions sso saml "
    "mobile offline search tags archive billing invoice api rate limit onboarding template workflow"
).split()


def build_board(ideas: int, votes: int, members: int):
    """The board's rows in bulk, as the services would leave them (counts kept on each idea)."""
    # Imported here: Django is set up only once the temporary DATA_DIR exists (bench.harness).
    from collections import Counter
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from customer_council.models import Idea, IdeaStatus, IdeaVote, ProductArea
    from kb.importing import ensure_help_center
    from tests.factories.council import make_agreements, make_membership

    ensure_help_center("en")
    make_agreements()
    rng = random.Random(10)
    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            username=f"member{n}@example.com", email=f"member{n}@example.com", display_name=f"Member {n}", password="!"
        )
        for n in range(members)
    )
    users = list(User.objects.filter(email__endswith="@example.com").order_by("pk"))
    make_membership(users[0])  # the member the benchmark browses as (others need no seat to have voted)
    areas = [ProductArea.objects.create(name=name) for name in ("Reporting", "Integrations", "Mobile", "Admin")]
    statuses = list(IdeaStatus.objects.exclude(kind="duplicate"))
    now = timezone.now()
    rows = []
    for n in range(ideas):
        title = " ".join(rng.sample(WORDS, 4)).capitalize()
        rows.append(
            Idea(
                author=rng.choice(users), title=f"{title} ({n})", problem="We need this because " + title,
                body="", body_html="", product_area=rng.choice(areas), status=rng.choice(statuses),
                created_at=now - timedelta(minutes=n * 7),
            )
        )  # fmt: skip
    Idea.objects.bulk_create(rows, batch_size=2000)
    idea_ids = list(Idea.objects.values_list("pk", flat=True))
    # Popularity follows a power law, as on real boards; one vote per member and idea.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(idea_ids))]
    rng.shuffle(weights)
    pairs, counts, recent = set(), Counter(), Counter()
    chosen = rng.choices(idea_ids, weights=weights, k=votes * 2)
    batch = []
    for idea_id in chosen:
        if len(pairs) >= votes:
            break
        user = rng.choice(users)
        if (idea_id, user.pk) in pairs:
            continue
        pairs.add((idea_id, user.pk))
        age = timedelta(hours=rng.randint(0, 24 * 180))
        counts[idea_id] += 1
        if age < timedelta(days=7):
            recent[idea_id] += 1
        batch.append(IdeaVote(idea_id=idea_id, user=user, created_at=now - age))
        if len(batch) == 5000:
            IdeaVote.objects.bulk_create(batch)
            batch = []
    IdeaVote.objects.bulk_create(batch)
    changed = Idea.objects.in_bulk(idea_ids)
    for idea_id, idea in changed.items():
        idea.vote_count, idea.trending_score = counts[idea_id], float(recent[idea_id])
    Idea.objects.bulk_update(changed.values(), ["vote_count", "trending_score"], batch_size=2000)
    return users[0], len(pairs)


def session_cookie(user) -> tuple[str, str]:
    """A logged-in session for ``user``, as the login view would leave it: (cookie name, value)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


def count_queries(user, url: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 bench")
    client.force_login(user)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=400, help="Accounts that vote (one vote per idea each).")
    parser.add_argument("--requests", type=int, default=100, help="Requests per page and sort (after 5 warm-up).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR afterwards.")
    args = parser.parse_args(argv)
    with temporary_site("council-bench-board-", keep=args.keep) as data_dir:
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        setup_django()
        started = time.perf_counter()
        member, votes = build_board(args.ideas, args.votes, args.members)
        print(f"built {args.ideas:,} ideas and {votes:,} votes in {time.perf_counter() - started:.1f}s")
        cells = [(sort, page) for sort in SORTS for page in PAGES]
        queries = {cell: count_queries(member, f"{BOARD}?sort={cell[0]}&page={cell[1]}") for cell in cells}
        cookie = session_cookie(member)
        timings = {cell: [] for cell in cells}
        with running_server(data_dir) as base_url, requests.Session() as session:
            session.headers["User-Agent"] = "Mozilla/5.0 (bench.council_board)"
            session.cookies.set(*cookie, domain="127.0.0.1")
            for sort, page in cells:
                for _n in range(5):
                    session.get(f"{base_url}{BOARD}?sort={sort}&page={page}").raise_for_status()
            for _n in range(args.requests):
                for cell in cells:  # interleaved, so drift affects every cell alike
                    begun = time.perf_counter()
                    response = session.get(f"{base_url}{BOARD}?sort={cell[0]}&page={cell[1]}", allow_redirects=False)
                    timings[cell].append((time.perf_counter() - begun) * 1000)
                    if response.status_code != 200:
                        raise RuntimeError(f"{cell}: HTTP {response.status_code}")
        print(machine_line())
        print(
            f"board: {args.ideas:,} ideas, {votes:,} votes, {args.requests} requests per cell, a member, daphne, SQLite"
        )
        print(f"{'sort':>9} {'page':>5} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
        for cell in cells:
            values = timings[cell]
            print(
                f"{cell[0]:>9} {cell[1]:>5} {queries[cell]:>8} {percentile(values, 0.5):>8.1f} "
                f"{percentile(values, 0.95):>8.1f} {statistics.fmean(values):>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
