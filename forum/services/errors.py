class ActionRefused(Exception):
    """A forum action the rules refuse, with a message the member can act on (HTTP ``status``)."""

    status = 400

    def __init__(self, message, *, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status


class NotAllowed(ActionRefused):
    """The member may not do this here (HTTP 403)."""

    status = 403


class TooManyPosts(ActionRefused):
    """A new member posted more than their hourly allowance (HTTP 429)."""

    status = 429
