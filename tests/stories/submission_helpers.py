"""People and submissions the submission tests share."""

from django.contrib.auth.models import Group

from tests.factories import UserFactory

#: A story in the customer's words, long enough for the service.
ACHIEVEMENT = "We cut our first reply time from two days to four hours.\n\nThe help center answers most questions now."


def make_editor(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_customer_user(**fields):
    return UserFactory(**fields)


def submission_data(**overrides) -> dict:
    data = {
        "company": "Okapi Freight",
        "role": "Head of support",
        "achievement": ACHIEVEMENT,
        "figures": "First reply: 2 days → 4 hours",
        "may_contact": "on",
    }
    return {**data, **overrides}
