"""`make run-prod` serves the site with the production settings from several worker processes.

One real run of the Makefile target in a fresh DATA_DIR (migrate, demo content, collectstatic,
redis-server, gunicorn with two uvicorn workers), then checks over HTTP and websockets what the
README promises, down to a reply posted through one worker reaching the live readers held by
every worker. Skipped, saying so, where Debian's redis-server is missing (`make redis` installs
it; `make test` does).
"""

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, deque
from pathlib import Path

import pytest
import requests
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Ping, Request, TextMessage

from tests.factories import BROWSER_USER_AGENT, PASSWORD

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


def processes_in_group(group: int) -> dict[int, str]:
    """The live processes in a process group, pid to command line (from /proc)."""
    found = {}
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
            found[int(entry.name)] = command
    return found


def gunicorn_processes(server) -> dict[int, str]:
    """The arbiter and its workers (not the shell line of the Makefile recipe that starts them)."""
    return {
        pid: command
        for pid, command in processes_in_group(server["group"]).items()
        if "bin/gunicorn config.asgi:application" in command and not command.startswith("/bin/sh")
    }


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
        yield {"url": base_url, "data_dir": data_dir, "group": process.pid, "env": env}
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
    assert len(gunicorn_processes(production_server)) == WORKERS + 1  # the arbiter and its workers


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


# A reply posted over HTTP reaches the live readers of its topic, whichever worker holds them.

#: Readers to open at most while waiting for the kernel to hand connections to every worker.
#: The spread is uneven (one run: 24 and 3 in the first 27), and each reader costs a few ms.
MAX_READERS = 120
#: Readers each worker must hold before the reply is posted.
READERS_PER_WORKER = 2
#: How long the readers together may take to hear of the reply.
EVENT_SECONDS = 15

#: Run by `manage.py shell` against the server's DATA_DIR: a member whose first posts are already
#: approved (FORUM_HOLD_FIRST_POSTS would hold a newcomer's reply back: no post.created event) and
#: a public topic of theirs.
MEMBER_AND_TOPIC = """
import json
from tests.factories.forum import make_member, make_topic

member = make_member(email="live.reader@example.com", display_name="Live Reader")
topic = make_topic("Readers on every worker", author=member, posts=2)
print(json.dumps({"email": member.email, "topic": topic.pk}))
"""


def manage(server, *arguments) -> str:
    """A manage.py command with the server's settings, database, secret key and Redis."""
    data_dir = server["data_dir"]
    env = {
        **server["env"],
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": (data_dir / "secret_key").read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": f"unix://{data_dir / 'redis.sock'}",
    }
    return subprocess.run(  # noqa: S603 - our own argument list
        [sys.executable, "manage.py", *arguments], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout


class LiveReader:
    """A reader's websocket to a topic's live channel, on a TCP connection of its own (wsproto)."""

    def __init__(self, server, topic_id: int):
        host = server["url"].removeprefix("http://")
        address, port = host.split(":")
        self.socket = socket.create_connection((address, int(port)), timeout=30)
        self.connection = WSConnection(ConnectionType.CLIENT)
        self.pending = deque()
        headers = [(b"origin", f"http://{host}".encode()), (b"user-agent", BROWSER_USER_AGENT.encode())]
        self.socket.sendall(
            self.connection.send(Request(host=host, target=f"/ws/forum/topics/{topic_id}/", extra_headers=headers))
        )
        accepted = self.next_event(timeout=30)
        assert isinstance(accepted, AcceptConnection), accepted

    @property
    def port(self) -> int:
        return self.socket.getsockname()[1]

    def next_event(self, timeout: float):
        deadline = time.monotonic() + timeout
        while not self.pending:
            self.socket.settimeout(max(0.01, deadline - time.monotonic()))
            data = self.socket.recv(65536)  # socket.timeout when nothing comes in time
            self.connection.receive_data(data or None)
            for event in self.connection.events():
                if isinstance(event, Ping):
                    self.socket.sendall(self.connection.send(event.response()))
                else:
                    self.pending.append(event)
        return self.pending.popleft()

    def receive_json(self, timeout: float = 30) -> dict:
        text = ""
        while True:
            event = self.next_event(timeout)
            assert isinstance(event, TextMessage), event
            text += event.data
            if event.message_finished:
                return json.loads(text)

    def receive_json_or_none(self, deadline: float) -> dict | None:
        """The next message if one comes before ``deadline`` (a time.monotonic() value), else None."""
        try:
            return self.receive_json(timeout=max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            return None

    def close(self):
        with contextlib.suppress(OSError):
            self.socket.sendall(self.connection.send(CloseConnection(code=1000)))
        self.socket.close()


def gunicorn_workers(server) -> set[int]:
    """The workers: the gunicorn processes whose parent is gunicorn (the arbiter)."""
    processes = gunicorn_processes(server)
    parents = {pid: int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) for pid in processes}
    return {pid for pid, parent in parents.items() if parent in processes}


def process_holding(server, client_port: int) -> int | None:
    """The pid of the server process holding the server end of our connection from ``client_port``:
    its socket inode from /proc/net/tcp, then the process with a descriptor on that inode."""
    server_port = int(server["url"].rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, remote_port = (int(address.rsplit(":", 1)[1], 16) for address in fields[1:3])
        if local_port == server_port and remote_port == client_port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in gunicorn_processes(server):
        try:
            descriptors = [os.readlink(descriptor) for descriptor in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if inodes.intersection(descriptors):
            return pid
    return None


def logged_in_session(server, email: str) -> requests.Session:
    """A browser-like session logged in through allauth's form, CSRF token and all."""
    session = requests.Session()
    session.headers["User-Agent"] = BROWSER_USER_AGENT
    login_url = server["url"] + "/en/accounts/login/"
    session.get(login_url, timeout=30).raise_for_status()
    response = session.post(
        login_url,
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login_url},
        timeout=30,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, response.status_code
    return session


def test_a_reply_reaches_live_readers_held_by_every_worker(production_server):
    made = json.loads(manage(production_server, "shell", "-c", MEMBER_AND_TOPIC).strip().splitlines()[-1])
    topic_id = made["topic"]
    workers = gunicorn_workers(production_server)
    assert len(workers) == WORKERS
    readers, served_by = [], {}
    try:
        # Fresh TCP connections, one after another; the kernel hands each to whichever worker
        # accepts first. Open readers until every worker holds a few.
        while len(readers) < MAX_READERS:
            reader = LiveReader(production_server, topic_id)
            readers.append(reader)
            served_by[reader] = process_holding(production_server, reader.port)
            held = Counter(served_by.values())
            if all(held[worker] >= READERS_PER_WORKER for worker in workers):
                break
        session = logged_in_session(production_server, made["email"])
        topic_page = session.get(f"{production_server['url']}/en/forum/t/{topic_id}/-/", timeout=30)
        assert topic_page.status_code == 200

        posted = session.post(
            f"{production_server['url']}/en/forum/t/{topic_id}/reply/",
            data={"body": "Seen by every worker's readers.", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": topic_page.url},
            allow_redirects=False,
            timeout=30,
        )
        started = time.monotonic()
        heard = {reader: reader.receive_json_or_none(started + EVENT_SECONDS) for reader in readers}
    finally:
        for reader in readers:
            reader.close()

    assert posted.status_code == 302 and posted.headers["Location"].endswith("#post-3")
    assert set(held) == workers, f"readers per worker: {held}"
    unheard = Counter(served_by[reader] for reader, event in heard.items() if event is None)
    assert not unheard, f"readers per worker: {held}; of them, heard nothing in {EVENT_SECONDS}s: {unheard}"
    events = list(heard.values())
    post_ids = {event["post"] for event in events}
    assert len(post_ids) == 1
    assert events == [{"type": "post.created", "topic": topic_id, "post": post_ids.pop(), "position": 3}] * len(readers)
