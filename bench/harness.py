"""A throwaway site for a benchmark: its own DATA_DIR, manage.py steps, daphne on a free port.

Benchmarks never touch ./data: :func:`temporary_site` points DATA_DIR (and with it the SQLite
database, the Whoosh index and media) at a fresh temporary folder, which is removed afterwards
unless ``keep`` is set. Commands run as the real ones do (``manage.py ...`` in a subprocess with
the same environment); :func:`setup_django` lets a benchmark also use the ORM in-process against
the same folder.
"""

import contextlib
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPORA_DIR = PROJECT_DIR.parent / "shared" / "corpora"
SETTINGS_MODULE = "config.settings.dev"
#: How long daphne may take to answer /healthz after it starts.
SERVER_START_SECONDS = 120
#: Readiness is a page that needs the whole stack but no search (/healthz counts the whole index,
#: which takes seconds at size, and fails on documents of a model that does not exist).
READY_PATH = "/en/search/"


def site_environment(data_dir: Path) -> dict:
    """The environment of every command and of the server: dev settings on ``data_dir`` only."""
    env = dict(os.environ)
    # Anything pointing elsewhere (a shared database, another index, a search server) would
    # measure the wrong thing or, worse, write into it.
    for name in ("DATABASE_URL", "SEARCH_URL", "WHOOSH_INDEX_PATH", "MEDIA_ROOT"):
        env.pop(name, None)
    env.update(DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, PYTHONUNBUFFERED="1")
    # The benchmark client sends hundreds of queries a minute from this machine: measure the
    # search, not the rate limit that protects it.
    env.update(RATE_LIMIT_EXEMPT_ADDRESSES="127.0.0.1")
    return env


@contextlib.contextmanager
def temporary_site(prefix: str, *, keep: bool = False, reuse: Path | None = None):
    """A fresh temporary DATA_DIR for this process (or ``reuse``, a kept one, which is never removed)."""
    data_dir = reuse.resolve() if reuse else Path(tempfile.mkdtemp(prefix=prefix))
    keep = keep or reuse is not None
    os.environ.update({key: value for key, value in site_environment(data_dir).items() if key != "PYTHONUNBUFFERED"})
    for name in ("DATABASE_URL", "SEARCH_URL", "WHOOSH_INDEX_PATH", "MEDIA_ROOT"):
        os.environ.pop(name, None)
    try:
        yield data_dir
    finally:
        if keep:
            print(f"kept DATA_DIR={data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def manage(data_dir: Path, *args: str, quiet: bool = False) -> float:
    """Run ``manage.py <args>`` against ``data_dir``; returns the wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=site_environment(data_dir),
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    return time.perf_counter() - started


def setup_django() -> None:
    """Use the ORM in this process (DATA_DIR must already be set by :func:`temporary_site`)."""
    import django

    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    django.setup()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(data_dir: Path, *, command=None, env: dict | None = None, log_name: str = "daphne.log"):
    """daphne serving the site from ``data_dir`` on a free local port; yields its base URL.

    ``command(port)`` gives another server's command line (bench.serving: gunicorn), ``env`` its
    environment (default: :func:`site_environment`).
    """
    port = free_port()
    log = open(data_dir / log_name, "wb")  # noqa: SIM115 - closed in the finally below
    daphne = str(Path(sys.executable).parent / "daphne")
    process = subprocess.Popen(
        command(port) if command else [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=PROJECT_DIR,
        env=env or site_environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}; see {data_dir / log_name}")
            try:
                if requests.get(f"{base_url}{READY_PATH}", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {SERVER_START_SECONDS}s")
            time.sleep(0.3)
        yield base_url
    finally:
        # Only the server this benchmark started, by its own process group.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def machine_line() -> str:
    return (
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
