"""The date range every support figure is computed for: [since, until), in the site's time zone."""

import datetime
from dataclasses import dataclass

from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

#: The range a report or the support_report command covers when none is given.
DEFAULT_DAYS = 30
#: Trend buckets: a day, a week (starting on Monday) or a calendar month.
BUCKETS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Period:
    """A half-open range of time: events at ``since`` count, events at ``until`` do not."""

    since: datetime.datetime
    until: datetime.datetime

    @classmethod
    def of_days(cls, first: datetime.date, last: datetime.date | None = None) -> "Period":
        """Whole days from ``first`` through ``last`` (inclusive; default today)."""
        last = last or timezone.localdate()
        return cls(start_of(first), start_of(last + datetime.timedelta(days=1)))

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS) -> "Period":
        today = timezone.localdate()
        return cls.of_days(today - datetime.timedelta(days=days - 1), today)

    @classmethod
    def this_week(cls) -> "Period":
        """Monday of this week through today."""
        today = timezone.localdate()
        return cls.of_days(today - datetime.timedelta(days=today.weekday()), today)

    def filter(self, field: str = "created_at") -> dict:
        """Keyword arguments that keep the rows of this period."""
        return {f"{field}__gte": self.since, f"{field}__lt": self.until}


def check_bucket(bucket: str) -> str:
    if bucket not in BUCKETS:
        raise ValueError(f"Unknown bucket {bucket!r}: use one of {', '.join(BUCKETS)}")
    return bucket


def truncate(bucket: str, field: str = "created_at"):
    """The database expression that truncates ``field`` to its bucket (site time zone)."""
    return BUCKETS[check_bucket(bucket)](field)


def bucket_start(moment, bucket: str) -> datetime.date:
    """The first day of the day, week (Monday) or month that ``moment`` falls in, in the site's time zone."""
    day = moment
    if isinstance(moment, datetime.datetime):
        day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    if check_bucket(bucket) == "week":
        return day - datetime.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def ratio(part, whole) -> float | None:
    """part ÷ whole, or None when there is nothing to divide (shown as "–", never as 0%)."""
    return part / whole if whole else None
