import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def send_after_commit(signal, **kwargs) -> None:
    """Send a forum signal once the transaction commits; a failing receiver is logged, not raised.

    The write it announces has already committed, so a broken receiver (a live-update fan-out, a
    notification) must not turn the member's successful post into an error page.
    """

    def send():
        for receiver, result in signal.send_robust(sender=kwargs.get("post", kwargs.get("topic")).__class__, **kwargs):
            if isinstance(result, Exception):
                logger.error("Forum signal receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
