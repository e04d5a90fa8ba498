"""Helpers of the roadmap tests: items under embargo or past it, made through the service."""

from datetime import timedelta

from django.utils import timezone

from customer_council.models import RoadmapItem
from customer_council.services import roadmap

PREVIEW_TITLE = "Obsidian quarterly planner"
PREVIEW_WORD = "saffronite"


def make_item(manager, title=PREVIEW_TITLE, *, days=30, summary=f"The {PREVIEW_WORD} plan.", **fields) -> RoadmapItem:
    """An item confidential for ``days`` more days (negative: its embargo has passed)."""
    return roadmap.create_item(manager, title, summary, embargo_until=timezone.now() + timedelta(days=days), **fields)


def make_published_item(manager, public_title="Planner for everyone", **fields) -> RoadmapItem:
    item = make_item(manager, days=-1, **fields)
    return roadmap.publish(item, public_title, "Plan *your* quarter.", by=manager)
