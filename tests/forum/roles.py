"""The five readers the council's privacy rule is tested against, built by name."""

from forum.permissions import MODERATORS_GROUP
from tests.factories.council import make_council_member
from tests.factories.forum import make_group, make_member

ANONYMOUS = "anonymous"
OUTSIDER = "logged-in outsider"
COUNCIL_MEMBER = "council member"
MODERATOR = "moderator outside the council"
COUNCIL_MODERATOR = "moderator in the council"

ROLES = [ANONYMOUS, OUTSIDER, COUNCIL_MEMBER, MODERATOR, COUNCIL_MODERATOR]
#: Who may read the council's categories as a member.
IN_THE_COUNCIL = {COUNCIL_MEMBER, COUNCIL_MODERATOR}
MODERATORS = {MODERATOR, COUNCIL_MODERATOR}


def make_reader(role):
    """The user playing ``role`` (None for the anonymous visitor)."""
    if role == ANONYMOUS:
        return None
    user = make_council_member() if role in IN_THE_COUNCIL else make_member()
    if role in MODERATORS:
        user.groups.add(make_group(MODERATORS_GROUP))
    return user
