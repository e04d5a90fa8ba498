from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.lookalikes import name_key
from forum.markdown import mentioned_names


def mention_targets(text: str) -> dict:
    """{casefolded name as written: {"name", "url", "user_id"}} for the members ``text`` mentions.

    One query. A mention resolves through the display-name key (accounts.lookalikes.name_key),
    which is unique per account: "@Moderator", "@MODERATOR" and "@Mоderator" with a Cyrillic "о"
    all reach the one account that owns the name, and the link shows the name as its owner wrote it.
    """
    keys = {name.casefold(): name_key(name) for name in mentioned_names(text)}
    wanted = set(keys.values()) - {""}
    if not wanted:
        return {}
    owners = {
        user.display_name_key: user
        for user in get_user_model()
        .objects.filter(display_name_key__in=wanted, is_active=True)
        .only("pk", "display_name", "display_name_key")
    }
    return {
        written: {"name": owner.display_name, "url": reverse("forum:member", args=[owner.pk]), "user_id": owner.pk}
        for written, key in keys.items()
        if (owner := owners.get(key)) is not None
    }
