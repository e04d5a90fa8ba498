"""Mail goes through an outbox that survives the mail server being down.

With the outbox on (as in development and production), a user action that sends mail only stores
the message; `manage.py run_outbox` hands it to a real SMTP server, here a small one on 127.0.0.1.
While that server is down, the action still succeeds, the mail stays queued, and it is delivered
once the server is back, by the command run in-process and by the real loop in its own process.
"""

import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from mailer.models import Message

from sitewide.outbox import Outbox
from support.models import TicketMessage
from tests.support.admin_helpers import a_ticket, an_agent, ticket_url

BASE_DIR = Path(settings.BASE_DIR)


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: greet, accept one or more messages, quit."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 stub ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 stub")
            elif command.startswith("RCPT") and any(address.upper() in command for address in self.server.refused):
                self.reply("550 no such user")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.received.append(message_from_bytes(b"".join(data)))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.received = []
        #: Addresses the server refuses (550), as for a mailbox that does not exist.
        self.refused = set()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


def free_port() -> int:
    """A port nothing listens on (yet): connecting to it is refused, as with a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def outbox_on(smtp_port):
    with override_settings(
        EMAIL_BACKEND="mailer.backend.DbBackend",
        MAILER_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        yield


def reply_as_agent(client, ticket, body):
    client.force_login(an_agent())
    return client.post(ticket_url(ticket), {"action": "reply", "body": body})


@pytest.mark.django_db
def test_a_reply_is_stored_and_queued_while_the_mail_server_is_down(
    outbox_on, client, django_capture_on_commit_callbacks
):
    ticket = a_ticket(email="ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = reply_as_agent(client, ticket, "Restart the print spooler.")
    call_command("run_outbox", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert response.status_code == 302
    [queued] = Message.objects.all()
    assert queued.to_addresses == ["ada@example.com"] and "Restart the print spooler." in queued.email.body
    assert queued.priority != 4, "a server that is down must not defer the mail, only delay it"
    # emailed_at means "in the outbox": from there the mail cannot be lost.
    assert TicketMessage.objects.get(ticket=ticket, is_from_customer=False).emailed_at is not None
    assert mail.outbox == []


@pytest.mark.django_db
def test_queued_mail_is_delivered_once_the_mail_server_is_back(outbox_on, smtp_port, client):
    ticket = a_ticket(email="ada@example.com")
    outbox = Outbox(first_delay=0.01, max_delay=0.01)
    mail.send_mail("Welcome", "Hello Ada", "support@example.com", ["ada@example.com"])

    down = outbox.step()
    server = SMTPServer(smtp_port)
    try:
        time.sleep(0.02)  # past the backoff
        up = outbox.step()
    finally:
        server.stop()

    assert down.server_down and down.queued == 1 and down.sent == 0
    assert up.sent == 1 and up.queued == 0 and not Message.objects.exists()
    [delivered] = server.received
    assert delivered["To"] == "ada@example.com" and delivered["Subject"] == "Welcome"
    assert ticket.pk  # the site's data is untouched by the outage


@pytest.mark.django_db
def test_the_server_is_not_tried_again_before_its_backoff_runs_out(outbox_on, smtp_port):
    now = [100.0]
    outbox = Outbox(first_delay=2, max_delay=5, clock=lambda: now[0])
    mail.send_mail("Welcome", "Hello", "support@example.com", ["ada@example.com"])

    delays = []
    for attempt in range(4):
        if attempt:
            now[0] = outbox.server.next_at
        outbox.step()
        delays.append(outbox.server.next_at - now[0])
    server = SMTPServer(smtp_port)
    try:
        now[0] += 0.5
        early = outbox.step()  # the server is up, but the backoff has not run out
        now[0] = outbox.server.next_at
        late = outbox.step()
    finally:
        server.stop()

    assert delays == [2, 4, 5, 5]
    assert early.sent == 0 and not early.server_down and late.sent == 1


@pytest.mark.django_db
def test_a_refused_message_is_deferred_and_retried_while_other_mail_still_goes(outbox_on, smtp_port):
    now = [0.0]
    outbox = Outbox(first_delay=10, max_delay=60, clock=lambda: now[0])
    server = SMTPServer(smtp_port)
    server.refused.add("bob@example.com")
    try:
        mail.send_mail("For Bob", "Hi", "support@example.com", ["bob@example.com"])
        first = outbox.step()
        mail.send_mail("For Ada", "Hi", "support@example.com", ["ada@example.com"])
        now[0] = 5
        second = outbox.step()  # Ada's mail goes at once; Bob's waits for its retry
        server.refused.clear()
        now[0] = 10
        third = outbox.step()
    finally:
        server.stop()

    assert first.sent == 0 and first.deferred == 1
    assert second.sent == 1 and second.deferred == 1
    assert third.deferred == 0 and not Message.objects.exists()
    assert [message["To"] for message in server.received] == ["ada@example.com", "bob@example.com"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_run_outbox_loop_delivers_mail_queued_while_the_server_was_down(outbox_on, smtp_port, tmp_path):
    mail.send_mail("Your ticket", "We are on it", "support@example.com", ["ada@example.com"])
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "OUTBOX_MAX_BACKOFF": "2",
    }
    sender = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_outbox", "--poll", "0.2"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    lines = []
    threading.Thread(target=lambda: lines.extend(line.decode() for line in sender.stdout), daemon=True).start()
    server = None
    try:
        deadline = time.monotonic() + 60
        while not any("unreachable" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        still_queued = Message.objects.count()
        server = SMTPServer(smtp_port)
        deadline = time.monotonic() + 20
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        sender.terminate()
        sender.wait(timeout=20)
        output = "".join(lines)
        if server:
            server.stop()

    assert still_queued == 1
    assert "unreachable" in output
    assert [message["Subject"] for message in server.received] == ["Your ticket"], output
    assert not Message.objects.exists()
    assert sender.returncode == 0, output


@pytest.mark.django_db
def test_only_one_sender_runs_on_a_machine():
    with Outbox.only_sender():
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "run_outbox"],
            cwd=BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATA_DIR": str(settings.DATA_DIR)},
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 1
    assert "Another outbox sender is running" in result.stderr and "Traceback" not in result.stderr
