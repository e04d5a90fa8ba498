"""`manage.py run_outbox`: send queued mail as it arrives and retry it with backoff (sitewide.outbox).

Run one next to the web server (`make run` starts it); Ctrl-C or SIGTERM stops it between steps.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sitewide.outbox import Outbox, OutboxBusy


class Command(BaseCommand):
    help = "Send the queued email, retrying with backoff while the mail server is down."

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=float, default=1.0, help="Seconds between looks at the queue.")
        parser.add_argument("--once", action="store_true", help="One step: send what is queued, then stop.")

    def handle(self, *args, poll: float, once: bool, **options):
        outbox = Outbox()
        try:
            with outbox.only_sender():
                if once:
                    result = outbox.step()
                    self.stdout.write(
                        f"sent={result.sent} queued={result.queued} deferred={result.deferred} "
                        f"server_down={result.server_down}"
                    )
                    return
                stop = threading.Event()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signum, lambda *_: stop.set())
                self.stdout.write("Outbox: sending queued mail (stop with Ctrl-C).")
                outbox.run(poll=poll, stop=stop)
        except OutboxBusy:
            if once:  # a cron run while the loop runs: the loop is already sending
                self.stdout.write(_("Another outbox sender is running on this machine; nothing to do."))
                return
            raise CommandError(_("Another outbox sender is running on this machine.")) from None
