"""`make run-prod` serves the site with the production settings from several worker processes.

One real run of the Makefile target in a fresh DATA_DIR (migrate, demo content, collectstatic,
redis-server, gunicorn with two uvicorn workers), then checks over HTTP and a websocket
handshake what the README promises. Skipped, saying so, where Debian's redis-server is missing
(`make redis` installs it; `make test` does).
"""

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.factories import BROWSER_USER_AGENT

PROJECT_DIR = Path(__file__).resolve().parent.parent
START_SECONDS = 900
WORKERS = 2
#: Its own settings and engines, and a make of its own (not the jobserver of a `make test` above it).
INHERITED_NOT = (
    *("DATABASE_URL", "REDIS_URL", "SEARCH_URL", "WHOOSH_INDEX_PATH", "SECRET_KEY", "ALLOWED_HOSTS", "BASE_URL"),
    *("MAKEFLAGS", "MAKELEVEL", "MFLAGS"),
)

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (`make redis`)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_in_group(group: int) -> list[str]:
    """Command lines of the live processes in a process group (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(command)
    return found


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("run-prod")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for name in INHERITED_NOT:
        env.pop(name, None)
    env.update(DATA_DIR=str(data_dir), HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(WORKERS))
    log = open(data_dir / "make.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - our own argument list
        [shutil.which("make") or "make", "--no-print-directory", "run-prod"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                output = (data_dir / "make.log").read_text()[-3000:]
                pytest.fail(f"make run-prod exited with {process.returncode}:\n{output}")
            try:
                if requests.get(f"{base_url}/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("make run-prod did not answer /healthz in time")
            time.sleep(1)
        yield {"url": base_url, "data_dir": data_dir, "group": process.pid}
    finally:
        # Only what this test started: the process group of its own `make`.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def get(server, path, **headers):
    return requests.get(server["url"] + path, headers={"User-Agent": BROWSER_USER_AGENT, **headers}, timeout=30)


def test_healthz_names_the_shared_engines_and_no_secret(production_server):
    response = get(production_server, "/healthz")
    report = response.json()

    assert report["channel_layer"] == {"ok": True, "backend": "RedisChannelLayer"}
    assert report["cache"] == {"ok": True, "backend": "RedisCache"}
    assert report["database"]["vendor"] == "sqlite"
    secret = (production_server["data_dir"] / "secret_key").read_text().strip()
    assert secret not in response.text
    assert "redis.sock" not in response.text and "unix:" not in response.text


def test_several_workers_serve_behind_one_port(production_server):
    workers = [
        command
        for command in processes_in_group(production_server["group"])
        if "bin/gunicorn config.asgi:application" in command and not command.startswith("/bin/sh")
    ]

    assert len(workers) == WORKERS + 1  # the arbiter and its workers


def test_the_secret_key_is_generated_under_data_dir_and_kept_private(production_server):
    key_file = production_server["data_dir"] / "secret_key"

    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_production_settings_serve_plain_http_on_a_laptop_without_debug(production_server):
    home = get(production_server, "/en/")
    missing = get(production_server, "/en/no-such-page-at-all/")

    assert home.status_code == 200 and home.url.startswith("http://")
    assert missing.status_code == 404
    assert "Traceback" not in missing.text and "DEBUG = True" not in missing.text


def test_hashed_static_files_are_compressed_and_cached_for_ever(production_server):
    home = get(production_server, "/en/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)

    response = get(production_server, stylesheet, **{"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_an_article_is_served_from_the_shared_cache_by_every_worker(production_server):
    home = get(production_server, "/en/").text
    category = re.findall(r'href="(/en/[a-z0-9-]+/)"', home)[2]
    article = re.search(rf'href="({re.escape(category)}[a-z0-9-]+/)"', get(production_server, category).text).group(1)
    get(production_server, article)

    # New connections each time, spread over both workers; an in-process cache would miss in one.
    answers = [get(production_server, article).headers.get("X-Page-Cache") for _ in range(12)]

    assert answers == ["hit"] * 12


def test_a_websocket_opens_through_the_workers(production_server):
    host = production_server["url"].removeprefix("http://")
    topic_id = re.search(r'href="/en/forum/t/(\d+)/', get(production_server, "/en/forum/").text).group(1)
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (
        f"GET /ws/forum/topics/{topic_id}/ HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://{host}\r\n\r\n"
    )
    address, port = host.split(":")
    with socket.create_connection((address, int(port)), timeout=30) as connection:
        connection.sendall(handshake.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]

    assert status_line == b"HTTP/1.1 101 Switching Protocols"
