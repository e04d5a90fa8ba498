"""manage.py council_trending: let the board's "Trending" sort decay without new votes.

A vote refreshes its idea's score at once (services.ideas.vote); an idea nobody votes for keeps
yesterday's score until this runs. Run it hourly (cron, a systemd timer); it is idempotent.
"""

from django.core.management.base import BaseCommand

from customer_council.services.ideas import refresh_trending


class Command(BaseCommand):
    help = "Recompute the trending score of every idea with a score or a vote in the last 7 days."

    def handle(self, *args, **options):
        changed = refresh_trending()
        self.stdout.write(f"trending scores refreshed: {changed} ideas")
