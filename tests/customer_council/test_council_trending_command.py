"""The hourly trending refresh lets an idea's score fall once its votes age."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from customer_council.models import Idea, IdeaVote
from customer_council.services.ideas import post_idea
from tests.factories.council import make_agreements, make_council_member

pytestmark = pytest.mark.django_db


def test_an_idea_whose_votes_aged_out_of_the_window_falls_to_zero():
    make_agreements()
    author = make_council_member()
    idea = post_idea(author, "Schedule reports", "We export by hand every Monday.")
    assert Idea.objects.get(pk=idea.pk).trending_score > 0

    IdeaVote.objects.filter(idea=idea).update(created_at=timezone.now() - timedelta(days=8))
    out = StringIO()
    call_command("council_trending", stdout=out)

    assert Idea.objects.get(pk=idea.pk).trending_score == 0
    assert "1 ideas" in out.getvalue()
