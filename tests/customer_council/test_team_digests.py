"""Each team's weekly digest: the ideas routed to it, new and rising, to its staff list only."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from customer_council.models import Idea, Team
from customer_council.services.digests import team_digest
from customer_council.services.ideas import assign_team, post_idea
from tests.factories.council import make_agreements, make_council_manager, make_council_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    make_agreements()
    author, manager = make_council_member(), make_council_manager()
    product = Team.objects.create(name="Product", email="product@example.com")
    Team.objects.create(name="Sales", email="sales@example.com")
    fresh = post_idea(author, "Schedule reports", "We export by hand.")
    old = post_idea(author, "Dark mode", "The screen is bright at night.")
    elsewhere = post_idea(author, "Bulk edit", "Slow onboarding.")
    hidden = post_idea(author, "A secret posted by mistake", "Should never be mailed.")
    for idea in (fresh, old, hidden):
        assign_team(idea, product, by=manager)
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    Idea.objects.filter(pk=hidden.pk).update(hidden=True)
    return {"product": product, "fresh": fresh, "old": old, "elsewhere": elsewhere, "hidden": hidden}


def test_a_digest_lists_the_teams_new_ideas_and_its_rising_older_ones_never_a_hidden_one(board):
    digest = team_digest(board["product"])

    assert [idea.title for idea in digest.new] == ["Schedule reports"]
    assert [idea.title for idea in digest.rising] == ["Dark mode"]


def test_the_command_mails_each_team_with_something_to_say_and_nobody_else(board):
    call_command("council_team_digests", stdout=StringIO())

    assert [message.to for message in mail.outbox] == [["product@example.com"]]
    body = mail.outbox[0].body
    assert "Schedule reports" in body and "Dark mode" in body
    assert "Bulk edit" not in body and "secret" not in body
    assert f"/council/ideas/{board['fresh'].pk}/" in body
