"""manage.py council_team_digests: the weekly email of new and rising ideas to each team.

Run it weekly (cron, a systemd timer). Teams without a digest address, or with nothing new or
rising, get nothing.
"""

from django.core.management.base import BaseCommand

from customer_council.services.digests import send_team_digests


class Command(BaseCommand):
    help = "Email each team with a digest address the council ideas routed to it: new this week and rising."

    def handle(self, *args, **options):
        sent = send_team_digests()
        for digest in sent:
            self.stdout.write(f"{digest.team.name}: {len(digest.new)} new, {len(digest.rising)} rising")
        self.stdout.write(f"digests sent: {len(sent)}")
