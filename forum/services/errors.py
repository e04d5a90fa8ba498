from sitewide.errors import ActionRefused

__all__ = ["ActionRefused", "NotAllowed", "TooManyPosts"]


class NotAllowed(ActionRefused):
    """The member may not do this here (HTTP 403)."""

    status = 403


class TooManyPosts(ActionRefused):
    """A new member posted more than their hourly allowance (HTTP 429)."""

    status = 429
