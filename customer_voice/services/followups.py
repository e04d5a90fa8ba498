"""Detractor follow-ups: the tasks support works through to close the loop."""

from customer_voice.models import FollowUp, SurveyResponse


def open_follow_up(response: SurveyResponse) -> FollowUp:
    """The follow-up of ``response`` (a detractor NPS answer or a bad CSAT), opened if it has none.

    Idempotent: an answer has at most one follow-up (a one-to-one), and a second call returns it.
    """
    follow_up, _created = FollowUp.objects.get_or_create(
        response=response, defaults={"customer": response.user, "state": FollowUp.State.OPEN}
    )
    return follow_up
