from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from forum.markdown import mentioned_names


def mention_targets(text: str) -> dict:
    """{casefolded display name: {"name", "url", "user_id"}} for the members ``text`` mentions.

    One query. A name shared by two members is ambiguous and links nobody.
    """
    names = mentioned_names(text)
    if not names:
        return {}
    match = Q(display_name__in=names)
    for name in names:
        match |= Q(display_name__iexact=name)
    wanted = {name.casefold() for name in names}
    found = {}
    for user in get_user_model().objects.filter(match, is_active=True).only("pk", "display_name"):
        key = user.display_name.casefold()
        if key in wanted:
            found.setdefault(key, []).append(user)
    return {
        key: {"name": users[0].display_name, "url": reverse("forum:member", args=[users[0].pk]), "user_id": users[0].pk}
        for key, users in found.items()
        if len(users) == 1
    }
