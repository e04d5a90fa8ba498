"""What the "Did this solve your problem?" box shows, for the article page and the vote view.

The box is one template (support/includes/article_vote.html) in one of four states, derived from
the reader's vote on the live revision: ask (no vote yet), thanks (yes), why (no, no reason yet)
and sorry (no, with a reason). After a No it offers related articles, the forum and contact
support. When the reader came from the contact form (``?from_contact=<visit>``), it also offers
"This solved my problem" and the way back to the contact form (in the form's language, which
``?contact_lang=`` names when it is not the article's).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kb.search.service import SearchUnavailable, suggest
from sitewide.reader import Reader, reader_of
from support.forms import VoteForm
from support.models import ArticleVote
from support.visits import CONTACT_LANGUAGE, clean_visit_id, contact_form_url

#: Related articles offered after a No.
MAX_RELATED = 4
#: Where a reader can go next when the article did not help (named URL, label).
NEXT_STEPS = [("forum:index", _("Ask the community forum")), ("support:contact", _("Contact support"))]


def next_steps() -> list[dict]:
    steps = []
    for name, label in NEXT_STEPS:
        try:
            steps.append({"name": name, "url": reverse(name), "label": label})
        except NoReverseMatch:  # the forum's pages may not be installed yet
            continue
    return steps


def related_articles(reader: Reader, page, related=None) -> list:
    """The editor's related articles, else the search service's best matches for the title."""
    if related is None:
        related = page.related_for(reader)
    if related:
        return [{"title": article.title, "url": article.url} for article in related[:MAX_RELATED]]
    try:
        hits = suggest(reader, page.title, language=page.locale.language_code, limit=MAX_RELATED + 1)
    except SearchUnavailable:
        return []
    own_url = page.url
    return [{"title": hit.title, "url": hit.url} for hit in hits if hit.url != own_url][:MAX_RELATED]


def vote_state(vote: ArticleVote | None) -> str:
    if vote is None:
        return "ask"
    if vote.helpful:
        return "thanks"
    return "sorry" if vote.reason else "why"


def widget_context(request, page, vote, *, form=None, related=None, solved=False, state=None) -> dict:
    """The box's template context; ``state`` overrides the one the vote implies (a No being corrected)."""
    state = state or vote_state(vote)
    context = {
        "request": request,
        "page": page,
        "vote": vote,
        "state": state,
        "form": form
        or VoteForm(initial={"reason": vote.reason if vote else "", "comment": vote.comment if vote else ""}),
        "revision_id": page.live_revision_id or "",
        "from_contact": clean_visit_id(request.GET.get("from_contact") or request.POST.get("from_contact")),
        "contact_url": contact_form_url(request.GET.get(CONTACT_LANGUAGE)),
        "solved": solved,
    }
    if state in ("why", "sorry"):
        context["related"] = related_articles(reader_of(request), page, related)
        context["next_steps"] = next_steps()
    return context
