"""The email outbox's sender: hands queued mail to the real backend, retrying with backoff.

Every send_mail() in the site stores the message in the database (django-mailer's DbBackend, see
the Email settings), so a request never waits on, nor fails with, the mail server. This loop sends
what is queued within a poll interval (a second). Two things can go wrong, and each has its own
backoff, doubling from ``first_delay`` up to ``max_delay`` seconds:

- the mail server cannot be reached: nothing is touched, the mail stays queued, and the loop
  tries the server again later. The server is probed before django-mailer's sending round
  because that round holds a database transaction per message, and on SQLite a transaction is
  the site's one write lock: it must never wait on a dead server.
- the server refuses one message (a bad recipient, a full mailbox): django-mailer defers that
  message; deferred mail is put back in the queue on the growing schedule, at most
  ``MAILER_EMAIL_MAX_RETRIES`` times (then it waits for `manage.py retry_deferred`).
New mail keeps going out while a refused message waits for its retry.
"""

import fcntl
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from mailer import engine
from mailer.models import Message

logger = logging.getLogger(__name__)


class OutboxBusy(Exception):
    """Another sender holds this machine's outbox lock."""


@dataclass
class Backoff:
    """When to try again after ``failures`` failures in a row: first_delay, doubled each time, capped."""

    first_delay: float
    max_delay: float
    failures: int = 0
    #: The clock time before which no new attempt is made.
    next_at: float = 0.0

    def failed(self, now: float) -> float:
        self.failures += 1
        delay = min(self.first_delay * 2 ** (self.failures - 1), self.max_delay)
        self.next_at = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.next_at = 0.0

    def due(self, now: float) -> bool:
        return now >= self.next_at


@dataclass
class StepResult:
    sent: int = 0
    queued: int = 0
    deferred: int = 0
    server_down: bool = False


class Outbox:
    """One sender: call ``step()`` again and again (``run`` does, sleeping ``poll`` between)."""

    def __init__(self, *, first_delay: float = 2.0, max_delay: float | None = None, clock=time.monotonic):
        max_delay = settings.OUTBOX_MAX_BACKOFF if max_delay is None else max_delay
        self.server = Backoff(first_delay, max_delay)
        self.deferred = Backoff(first_delay, max_delay)
        #: Whether a retry of the deferred mail is scheduled (deferred.next_at says when).
        self.retry_scheduled = False
        self.clock = clock

    def step(self) -> StepResult:
        now = self.clock()
        if self.retry_scheduled and self.deferred.due(now):
            self.retry_scheduled = False
            retried = Message.objects.retry_deferred()
            if retried:
                logger.info("Outbox: %s deferred message(s) back in the queue", retried)
        result = StepResult()
        queued = Message.objects.non_deferred().count()
        if queued and self.server.due(now):
            try:
                self.probe_server()
            except OSError as error:  # refused, timed out, TLS or SMTP greeting failure
                delay = self.server.failed(now)
                logger.warning(
                    "Outbox: the mail server is unreachable (%s); %s message(s) wait, next try in %ss",
                    error,
                    queued,
                    delay,
                )
                result.server_down = True
            else:
                self.server.succeeded()
                deferred_before = Message.objects.deferred().count()
                try:
                    engine.send_all()
                except Exception:  # a message the backend chokes on must not stop the sender
                    logger.exception("Outbox: sending failed")
                    self.server.failed(now)
                newly_deferred = Message.objects.deferred().count() - deferred_before
                result.sent = queued - Message.objects.non_deferred().count() - newly_deferred
        result.queued = Message.objects.non_deferred().count()
        result.deferred = self.waiting_deferred().count()
        if result.deferred:
            if not self.retry_scheduled:
                delay = self.deferred.failed(now)
                self.retry_scheduled = True
                logger.warning("Outbox: %s deferred message(s), retried in %ss", result.deferred, delay)
        else:
            self.deferred.succeeded()
            self.retry_scheduled = False
        return result

    def run(self, *, poll: float = 1.0, stop=None) -> None:
        """Step until ``stop`` (a threading.Event) is set, or forever."""
        while stop is None or not stop.is_set():
            self.step()
            if stop is not None:
                stop.wait(poll)
            else:
                time.sleep(poll)

    @staticmethod
    @contextmanager
    def only_sender():
        """Hold the machine's outbox lock while the block runs; raise OutboxBusy if another sender has it.

        A kernel lock (flock): it goes away with the process, so a killed sender never leaves a
        stale lock behind. Senders on other machines (PostgreSQL) share the queue through
        django-mailer's row locks instead.
        """
        path = Path(settings.DATA_DIR) / "outbox.lock"
        with path.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutboxBusy from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def probe_server() -> None:
        """Open and close a connection to the real backend; raises OSError when the server is down."""
        connection = get_connection(backend=settings.MAILER_EMAIL_BACKEND, fail_silently=False)
        connection.open()
        connection.close()

    @staticmethod
    def waiting_deferred():
        """Deferred messages that a retry would put back in the queue."""
        deferred = Message.objects.deferred()
        if settings.MAILER_EMAIL_MAX_RETRIES is not None:
            deferred = deferred.filter(retry_count__lt=settings.MAILER_EMAIL_MAX_RETRIES)
        return deferred
