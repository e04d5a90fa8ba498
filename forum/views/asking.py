"""Asking well: similar topics and help articles appear while a member types a new topic's title.

They come from support's one suggest-while-typing service (support.suggestions), with the flow
"forum" and the attempt's visit id: showing a list records SUGGESTIONS_SHOWN, and each link goes
through support's opening links, which record SUGGESTION_OPENED exactly as for the contact form.
The support reports count a question answered before it was asked as a deflection.
"""

from django.shortcuts import render
from django.utils.translation import get_language

from sitewide.ratelimit import rate_limited
from support.models import Event
from support.suggestions import suggest_while_typing
from support.visits import clean_visit_id

MAX_SIMILAR = 6
MIN_QUERY_CHARACTERS = 4


@rate_limited("suggest")
def similar(request):
    """The similar topics and articles for the title typed so far (an HTML fragment)."""
    shown = suggest_while_typing(
        request.reader,
        str(request.GET.get("q", ""))[:1000],
        flow=Event.Flow.FORUM,
        visit_id=clean_visit_id(request.GET.get("visit")),
        language=get_language(),
        limit=MAX_SIMILAR,
        min_characters=MIN_QUERY_CHARACTERS,
    )
    return render(request, "forum/includes/similar.html", {"shown": shown})
