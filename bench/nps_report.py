"""The NPS report at size: 1,000,000 survey answers over two years, the report for one year.

Builds the answers in a throwaway DATA_DIR (bench.harness) in bulk, as the survey services would
leave them: one invitation per answer (the answer's OneToOne), segments copied onto the answer
(language en/ru/fa/he, referral source, plan, ~8 % council), about 85 % NPS with a score that
improves over the two years and 15 % CSAT, in time order, a comment on about a third, and a follow-up on every
detractor and bad CSAT answer. Then, for the last twelve months with segments:

* ``nps_report()`` in-process: p50/p95 over ``--requests`` runs and its SQL query count;
* the admin page "Net Promoter Score" over HTTP (daphne, a superuser's real session): p50/p95 over
  ``--requests`` requests, and the queries the page runs (in-process, test client).

    .venv/bin/python -m bench.nps_report                      # 1,000,000 answers
    .venv/bin/python -m bench.nps_report --answers 100000     # a quick run
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

import requests

from bench.council_board import count_queries, session_cookie
from bench.harness import machine_line, manage, percentile, running_server, setup_django, temporary_site

PAGE = "/admin/customer-voice/reports/nps/"
BATCH = 10_000
LANGUAGES = (("en", 55), ("ru", 20), ("fa", 12), ("he", 13))
SOURCES = (
    ("search", 30),
    ("friend", 22),
    ("social", 12),
    ("blog", 8),
    ("event", 5),
    ("sales", 8),
    ("other", 5),
    ("", 10),
)
PLANS = (("free", 45), ("team", 30), ("business", 18), ("enterprise", 5), ("", 2))
COMMENTS = (
    "Support answered within the hour",
    "The export to spreadsheets keeps failing",
    "Great help articles, found everything",
    "Too expensive for a small team",
    "The mobile app is slow",
    "Search finds the right article first",
    "Billing page is confusing",
    "Love the new dashboard",
)


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def nps_score(rng, progress: float) -> int:
    """A 0-10 score; promoters grow from 40 % to 55 % and detractors shrink over the two years."""
    promoter, detractor = 0.40 + 0.15 * progress, 0.25 - 0.10 * progress
    draw = rng.random()
    if draw < promoter:
        return rng.choice((9, 10))
    if draw < promoter + detractor:
        return rng.randint(0, 6)
    return rng.choice((7, 8))


def build_answers(total: int, customers: int):
    """``total`` answers (and their invitations and follow-ups) over the last two years, in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from tqdm import tqdm

    from customer_voice.models import FollowUp, SurveyInvitation, SurveyResponse
    from customer_voice.models.surveys import SurveyKind

    rng = random.Random(12)
    User = get_user_model()
    User.objects.bulk_create(
        (
            User(username=f"customer{n}@example.com", email=f"customer{n}@example.com", password="!")
            for n in range(customers)
        ),
        batch_size=BATCH,
    )
    profiles = {}  # user id -> (language, source, plan, council): an answer copies its customer's
    for user_id in User.objects.filter(email__startswith="customer").values_list("pk", flat=True):
        profiles[user_id] = (
            weighted(rng, LANGUAGES),
            weighted(rng, SOURCES),
            weighted(rng, PLANS),
            rng.random() < 0.08,
        )
    user_ids = list(profiles)
    now = timezone.now()
    span = timedelta(days=730).total_seconds()
    follow_up_states = (("closed", 60), ("dropped", 10), ("open", 20), ("contacted", 10))
    made, follow_ups = 0, 0
    with tqdm(total=total, unit="answer", desc="answers") as progress:
        while made < total:
            size = min(BATCH, total - made)
            rows = []
            for n in range(size):
                user_id = rng.choice(user_ids)
                language, source, plan, council = profiles[user_id]
                # Answers arrive in time order, as on a live site (rows sit on disk by date).
                offset = (made + n + rng.random()) / total
                answered_at = now - timedelta(seconds=span * (1 - offset))
                kind = SurveyKind.NPS if rng.random() < 0.85 else SurveyKind.CSAT
                if kind == SurveyKind.NPS:
                    score = nps_score(rng, offset)
                    category = SurveyResponse.category_of(score)
                else:
                    score, category = int(rng.random() < 0.82), ""
                comment = rng.choice(COMMENTS) if rng.random() < 0.33 else ""
                rows.append((user_id, kind, score, category, comment, answered_at, language, source, plan, council))
            invitations = SurveyInvitation.objects.bulk_create(
                SurveyInvitation(
                    kind=row[1], user_id=row[0], language=row[6], created_at=row[5] - timedelta(hours=2),
                    sent_at=row[5] - timedelta(hours=2), answered_at=row[5],
                )
                for row in rows
            )  # fmt: skip
            answers = SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    invitation=invitation, user_id=row[0], kind=row[1], score=row[2], category=row[3],
                    comment=row[4], answered_at=row[5], language=row[6], referral_source=row[7], plan=row[8],
                    is_council=row[9],
                )
                for invitation, row in zip(invitations, rows, strict=True)
            )  # fmt: skip
            unhappy = [
                FollowUp(
                    response=answer, customer_id=answer.user_id, state=weighted(rng, follow_up_states),
                    created_at=answer.answered_at,
                )
                for answer in answers
                if answer.category == SurveyResponse.Category.DETRACTOR
                or (answer.kind == SurveyKind.CSAT and answer.score == 0)
            ]  # fmt: skip
            FollowUp.objects.bulk_create(unhappy)
            follow_ups += len(unhappy)
            made += size
            progress.update(size)
    return follow_ups


def time_service(runs: int) -> tuple[list[float], int, object]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from customer_voice.services.nps_report import nps_report

    until = timezone.localdate()
    since = until - timedelta(days=364)
    nps_report(since, until)  # warm the page cache
    timings = []
    for _n in range(runs):
        # The build filled DEBUG's query log to its cap, where a capture would count nothing.
        reset_queries()
        begun = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = nps_report(since, until)
        timings.append((time.perf_counter() - begun) * 1000)
    return timings, len(queries), report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=120_000, help="Accounts the answers come from.")
    parser.add_argument("--requests", type=int, default=20, help="Runs of the service and page requests.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR afterwards.")
    args = parser.parse_args(argv)
    with temporary_site("voice-bench-nps-", keep=args.keep) as data_dir:
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        setup_django()
        from django.contrib.auth import get_user_model

        started = time.perf_counter()
        follow_ups = build_answers(args.answers, min(args.customers, args.answers))
        print(
            f"built {args.answers:,} answers, {args.answers:,} invitations and {follow_ups:,} follow-ups "
            f"in {time.perf_counter() - started:.1f}s"
        )
        admin = get_user_model().objects.create_superuser(email="bench-admin@example.com", password="!")
        service_ms, service_queries, report = time_service(args.requests)
        page_queries = count_queries(admin, PAGE)
        cookie = session_cookie(admin)
        page_ms = []
        with running_server(data_dir) as base_url, requests.Session() as session:
            session.headers["User-Agent"] = "Mozilla/5.0 (bench.nps_report)"
            session.cookies.set(*cookie, domain="127.0.0.1")
            for _n in range(2):
                session.get(f"{base_url}{PAGE}", allow_redirects=False).raise_for_status()
            for _n in range(args.requests):
                begun = time.perf_counter()
                response = session.get(f"{base_url}{PAGE}", allow_redirects=False)
                page_ms.append((time.perf_counter() - begun) * 1000)
                if response.status_code != 200 or "data-voice-key-figures" not in response.text:
                    raise RuntimeError(f"{PAGE}: HTTP {response.status_code}")
        overall = report.overall
        print(machine_line())
        print(
            f"report: {report.since} to {report.until}, {overall.n:,} NPS answers in the year: "
            f"NPS {overall.score:.1f} ± {overall.margin_of_error:.2f}; CSAT n={report.csat.n:,}; "
            f"{report.loop.total:,} follow-ups"
        )
        print(f"{'what':>28} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
        for name, queries, values in (
            ("nps_report() in-process", service_queries, service_ms),
            ("admin page over HTTP", page_queries, page_ms),
        ):
            print(
                f"{name:>28} {queries:>8} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
                f"{statistics.fmean(values):>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
