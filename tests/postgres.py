"""`pytest --postgres`: the run uses a throwaway PostgreSQL cluster instead of SQLite.

Debian's postgresql (`make postgres` installs it) is initialised into a temporary directory and
listens on a free loopback port (and a socket in that directory), with trust authentication for
this machine only and without fsync: the cluster holds nothing worth keeping and is deleted when
the run ends. DATABASE_URL is set before pytest-django imports the settings, so
config.settings.base builds DATABASES exactly as a production deployment does; pytest-xdist
workers inherit it and each creates its own test database in the same cluster.

`make test` runs the tests marked ``postgres`` this way after the SQLite run: the modules in
POSTGRES_SUBSET below (models, services and views of every app) and any module that marks itself
(the concurrency tests). `pytest --postgres` runs any other selection on it too.
PostgreSQL refuses to run as root; as root the cluster runs as Debian's ``postgres`` user.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

#: Modules that also run against PostgreSQL in `make test`: at least the models, services and
#: views of every app, chosen for the queries that differ between engines (case-insensitive and
#: JSON lookups, ordering, aggregates, window functions, locking, raw SQL).
POSTGRES_SUBSET = (
    "tests/test_accounts_profile.py",
    "tests/test_accounts_signup.py",
    "tests/test_article_page.py",
    "tests/test_search_page.py",
    "tests/test_search_analytics.py",
    "tests/test_search_concurrency.py",
    "tests/support/test_article_votes.py",
    "tests/support/test_contact_form.py",
    "tests/support/test_inbox.py",
    "tests/support/test_reports.py",
    "tests/support/test_my_requests.py",
    "tests/forum/test_posting.py",
    "tests/forum/test_answers_votes_reputation.py",
    "tests/forum/test_pages.py",
    "tests/forum/test_moderation_topics.py",
    "tests/customer_council/test_ideas_taking_part.py",
    "tests/customer_council/test_ideas_pages.py",
    "tests/customer_council/test_membership_lifecycle.py",
    "tests/customer_council/test_meetings_services.py",
    "tests/customer_council/test_roadmap_services.py",
    "tests/customer_voice/test_nps_report_service.py",
    "tests/customer_voice/test_surveys_csat.py",
    "tests/customer_voice/test_timeline_customers.py",
    "tests/customer_voice/test_referrals_report.py",
    "tests/stories/test_story_page.py",
    "tests/stories/test_submissions_service.py",
    "tests/stories/test_measuring_report.py",
)

#: Where Debian puts each major version's server binaries (initdb and pg_ctl are not on PATH).
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
#: The superuser and database the cluster starts with; the tests create test_support (per worker).
USER = DATABASE = "support"


def postgres_binaries() -> Path | None:
    """The newest installed major version's bin directory, or None without the package."""
    versions = sorted(
        (path for path in DEBIAN_BINARIES.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return versions[-1] if versions else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One throwaway cluster: initdb, start, stop and delete."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.directory = Path(tempfile.mkdtemp(prefix="support-test-postgres-"))
        self.data = self.directory / "data"
        self.port = free_port()
        # As root, Debian's postgres user owns and runs the cluster (postgres refuses root).
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.directory, "postgres")
        self.url = f"postgres://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def run(self, program: str, *arguments: str) -> None:
        command = [*self.as_user, str(self.binaries / program), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
        if result.returncode:
            raise pytest.UsageError(f"{program} failed: {result.stdout}{result.stderr}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        settings = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c max_connections=300"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", str(self.data), "-o", settings, "-l", str(self.directory / "log"), "-w", "start")
        atexit.register(self.stop)
        self.run("createdb", "-h", str(self.directory), "-p", str(self.port), "-U", USER, DATABASE)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(  # noqa: S603 - our own arguments
                [*self.as_user, str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run against a throwaway PostgreSQL cluster (Debian's postgresql; `make postgres` installs it)",
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Start the cluster and point DATABASE_URL at it before pytest-django loads the settings.

    Only the controlling process starts one: xdist workers inherit DATABASE_URL.
    """
    early_config.addinivalue_line(
        "markers", "postgres: also runs against PostgreSQL in `make test` (pytest --postgres -m postgres)"
    )
    if early_config.known_args_namespace.postgres and "PYTEST_XDIST_WORKER" not in os.environ:
        binaries = postgres_binaries()
        if binaries is None:
            raise pytest.UsageError(f"--postgres: no initdb under {DEBIAN_BINARIES} (`make postgres` installs it)")
        cluster = Cluster(binaries)
        cluster.start()
        early_config.add_cleanup(cluster.stop)
        os.environ["DATABASE_URL"] = cluster.url
    return (yield)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0] in POSTGRES_SUBSET:
            item.add_marker(pytest.mark.postgres)
