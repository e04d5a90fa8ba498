"""Serving throughput: one daphne process (`make run`) against the production setup (`make run-prod`).

Run from the project root (about 6 minutes on 2 cores)::

    .venv/bin/python -m bench.serving                   # 5 s per measurement
    .venv/bin/python -m bench.serving --seconds 2 --workers 1 2 4

In a fresh temporary DATA_DIR it migrates and loads the demo site (``manage.py load_demo``: the
GNOME Help articles in four languages, the forum, demo visits), collects the static files, and
starts in turn:

* ``daphne``: one daphne process with the development settings, as ``make run`` serves;
* ``prod-N``: gunicorn with N uvicorn workers, the production settings (as ``make run-prod`` sets
  them on a laptop) and a throwaway redis-server on a socket under DATA_DIR for the cache and the
  channel layer.

Against each it asks, for ``--seconds`` at 1, 4 and 16 concurrent clients (threads, each with
its own connection): an article page and a topic page as a new anonymous browser (no cookies, so
the page cache serves them, and the view is still counted), a search and suggestions (a new query
each time, never cached), and /healthz. It prints requests/s, p50 and p95 for each, and the ratio
of each page's throughput to /healthz's. The client runs on the same machine and takes CPU from
the server: figures are for comparing, not absolute. The load average is printed before and after.
"""

import argparse
import contextlib
import os
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from bench.harness import (
    PROJECT_DIR,
    machine_line,
    manage,
    percentile,
    running_server,
    setup_django,
    site_environment,
    temporary_site,
)

CONCURRENCY = (1, 4, 16)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
QUERIES = [
    "wifi", "printer", "password", "screen brightness", "bluetooth", "keyboard layout", "battery",
    "how do I connect to a wireless network", "sound not working", "change wallpaper", "files",
    "my printer does not print", "backup", "fonts", "display resolution", "mouse", "shortcuts",
]  # fmt: skip
#: Targets (issue 14): the cached anonymous article page within 2x of /healthz's throughput at
#: every concurrency, and throughput that grows with workers up to the core count.
TARGET_ARTICLE_TO_HEALTHZ = 0.5


def production_environment(data_dir: Path, redis_socket: Path) -> dict:
    env = site_environment(data_dir)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=(data_dir / "secret_key").read_text().strip(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        REDIS_URL=f"unix://{redis_socket}",
    )
    return env


@contextlib.contextmanager
def redis_server(data_dir: Path):
    """A throwaway redis-server (Debian's: `make redis`) on a socket under ``data_dir``."""
    socket_path = data_dir / "redis.sock"
    process = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket_path), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not socket_path.exists():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start (is it installed? `make redis`)")
            time.sleep(0.05)
        yield socket_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def gunicorn_command(workers: int):
    gunicorn = str(Path(sys.executable).parent / "gunicorn")

    def command(port: int) -> list[str]:
        return [
            gunicorn, "config.asgi:application", "--worker-class", "uvicorn.workers.UvicornWorker",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--no-control-socket",
        ]  # fmt: skip

    return command


def pick_addresses() -> dict:
    """The addresses asked for: a real article, a real topic (in-process, from the demo data)."""
    from forum.models import Topic
    from kb.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="en").order_by("path")[20]
    topic = Topic.objects.filter(is_hidden=False, category__restricted_to__isnull=True).order_by("-post_count").first()
    return {"article": article.url, "topic": topic.get_absolute_url()}


def endpoint_urls(base_url: str, addresses: dict) -> dict:
    rng = random.Random(7)

    def search():
        return f"{base_url}/en/search/?q={rng.choice(QUERIES)}+{rng.randrange(1000)}"

    def suggest():
        return f"{base_url}/api/suggest/?lang=en&q={rng.choice(QUERIES)}+{rng.randrange(1000)}"

    return {
        "article": lambda: base_url + addresses["article"],
        "topic": lambda: base_url + addresses["topic"],
        "search": search,
        "suggestions": suggest,
        "healthz": lambda: f"{base_url}/healthz",
    }


def measure(make_url, clients: int, seconds: float) -> dict:
    """``clients`` threads asking as fast as they can for ``seconds``; new cookies every request."""
    timings: list[float] = []
    failures = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        nonlocal failures
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            session.cookies.clear()  # a new anonymous browser each time
            started = time.perf_counter()
            try:
                ok = session.get(make_url(), timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            timings.extend(mine)
            failures += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "rps": len(timings) / elapsed,
        "p50": percentile(timings, 0.5) * 1000,
        "p95": percentile(timings, 0.95) * 1000,
        "failures": failures,
    }


def run_configuration(name: str, base_url: str, addresses: dict, seconds: float) -> dict:
    urls = endpoint_urls(base_url, addresses)
    for make_url in urls.values():  # warm up: templates, the index, the page cache
        for _ in range(3):
            requests.get(make_url(), headers={"User-Agent": USER_AGENT}, timeout=60)
    results = {}
    print(f"\n{name}")
    print(f"  {'endpoint':<12} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'/healthz':>9}")
    for clients in CONCURRENCY:
        row = {endpoint: measure(make_url, clients, seconds) for endpoint, make_url in urls.items()}
        for endpoint, figures in row.items():
            ratio = figures["rps"] / row["healthz"]["rps"]
            failures = f"  ({figures['failures']} non-200)" if figures["failures"] else ""
            print(
                f"  {endpoint:<12} {clients:>7} {figures['rps']:>8.1f} {figures['p50']:>8.1f} "
                f"{figures['p95']:>8.1f} {ratio:>8.2f}x{failures}"
            )
        results[clients] = row
    return results


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="Seconds per endpoint and concurrency.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Production worker counts to try.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary DATA_DIR afterwards.")
    args = parser.parse_args(argv)
    if shutil.which("redis-server") is None:
        print("redis-server is missing: `make redis` installs Debian's.")
        return 2
    print(machine_line())
    print(f"load average before: {load_average()}")
    with temporary_site("serving-bench-", keep=args.keep) as data_dir:
        manage(data_dir, "migrate", "--noinput", "-v", "0")
        manage(data_dir, "load_demo", quiet=True)
        (data_dir / "secret_key").write_text(secrets.token_urlsafe(50))
        setup_django()
        addresses = pick_addresses()
        print(f"article {addresses['article']}, topic {addresses['topic']}")
        all_results = {}
        with running_server(data_dir) as base_url:
            all_results["daphne"] = run_configuration("daphne, 1 process (make run)", base_url, addresses, args.seconds)
        with redis_server(data_dir) as redis_socket:
            env = production_environment(data_dir, redis_socket)
            collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
            subprocess.run(collect, cwd=PROJECT_DIR, env=env, check=True)
            for workers in args.workers:
                command = gunicorn_command(workers)
                with running_server(data_dir, command=command, env=env, log_name=f"gunicorn-{workers}.log") as base_url:
                    all_results[f"prod-{workers}"] = run_configuration(
                        f"gunicorn + {workers} uvicorn worker(s), production settings, Redis (make run-prod)",
                        base_url,
                        addresses,
                        args.seconds,
                    )
    print(f"\nload average after: {load_average()}")
    return report(all_results, args.workers)


def report(results: dict, workers: list[int]) -> int:
    print("\nThroughput (req/s) by configuration, 16 clients:")
    for endpoint in ("article", "topic", "search", "suggestions", "healthz"):
        figures = "  ".join(f"{name} {row[16][endpoint]['rps']:7.1f}" for name, row in results.items())
        print(f"  {endpoint:<12} {figures}")
    met = True
    for name, row in results.items():
        for clients, figures in row.items():
            ratio = figures["article"]["rps"] / figures["healthz"]["rps"]
            if ratio < TARGET_ARTICLE_TO_HEALTHZ:
                print(f"  target missed: {name}, {clients} clients: article at {ratio:.2f}x of /healthz")
                met = False
    cores = len(os.sched_getaffinity(0))
    scaling = [w for w in workers if w <= cores]
    for fewer, more in zip(scaling, scaling[1:], strict=False):
        for endpoint in ("search", "suggestions", "article"):
            if results[f"prod-{more}"][16][endpoint]["rps"] <= results[f"prod-{fewer}"][16][endpoint]["rps"]:
                print(f"  target missed: {endpoint} does not grow from {fewer} to {more} workers")
                met = False
    print("targets: " + ("met" if met else "MISSED"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
