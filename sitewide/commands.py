"""Helpers for management commands' options (no app of ours imported)."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def parse_day(value: str, option: str) -> datetime.date:
    """A ``--since``/``--until`` style option's date, or a CommandError naming the option."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            _("%(option)s must be a date written YYYY-MM-DD, not '%(value)s'.") % {"option": option, "value": value}
        ) from None
