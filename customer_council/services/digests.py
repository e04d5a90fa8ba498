"""The weekly digest each internal team gets of the ideas routed to it (issue 10, "routing").

A team (product, design, sales, support; managers edit the list) with a digest address gets,
once a week, the ideas assigned to it that are new this week and the ones rising most (highest
trending score). The digest goes to an internal staff list, never to members: it names ideas,
their votes and status, not who voted nor any member's commercial data. Hidden ideas and ideas
merged into another are left out. One email per team; a team with nothing new or rising gets none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from customer_council.models import Idea, Team

logger = logging.getLogger(__name__)

#: How far back "new" reaches, and how many rising ideas a digest lists.
DIGEST_PERIOD = timedelta(days=7)
RISING_LIMIT = 5


@dataclass(frozen=True)
class Digest:
    team: Team
    new: list[Idea]
    rising: list[Idea]


def team_digest(team: Team, *, now=None) -> Digest:
    """What ``team``'s digest would list now (two queries)."""
    now = now or timezone.now()
    ideas = Idea.objects.filter(team=team, hidden=False, merged_into__isnull=True).select_related("status")
    new = list(ideas.filter(created_at__gte=now - DIGEST_PERIOD).order_by("-vote_count", "-pk"))
    new_ids = {idea.pk for idea in new}
    rising = [
        idea
        for idea in ideas.filter(trending_score__gt=0).order_by("-trending_score", "-pk")[: RISING_LIMIT + len(new)]
        if idea.pk not in new_ids
    ][:RISING_LIMIT]
    return Digest(team=team, new=new, rising=rising)


def send_team_digests(*, now=None) -> list[Digest]:
    """Email every team with a digest address its digest; returns the digests sent."""
    sent = []
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for team in Team.objects.exclude(email="").order_by("name"):
        digest = team_digest(team, now=now)
        if not digest.new and not digest.rising:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            link = {
                idea.pk: base + reverse("customer_council:idea", args=[idea.pk]) for idea in digest.new + digest.rising
            }
            context = {
                "team": team,
                "new": [(idea, link[idea.pk]) for idea in digest.new],
                "rising": [(idea, link[idea.pk]) for idea in digest.rising],
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = " ".join(render_to_string("customer_council/emails/team_digest_subject.txt", context).split())
            body = render_to_string("customer_council/emails/team_digest.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [team.email])
        except Exception:  # one team's mail server down: the others still get theirs
            logger.exception("Could not send the council digest of team %s", team.pk)
            continue
        sent.append(digest)
    return sent
