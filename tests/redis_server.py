"""A throwaway redis-server for the tests that need a real one (Debian's, from `make redis`)."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(directory) -> tuple[subprocess.Popen, str]:
    """Start redis-server on a free local port, without persistence, and wait until it answers.

    Returns the process (the caller stops it) and its ``redis://`` URL.
    """
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own argument list
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--daemonize", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
    finally:
        client.close()
    return process, f"redis://127.0.0.1:{port}/0"
