"""Public support pages: the article vote, contact support with live suggestions, and the
links that record a suggestion opened and a problem solved. Thin: the work is in the services
(support.votes, support.tickets, support.suggestions, support.events)."""

from django.apps import apps
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_cookie

from kb.models import ArticlePage
from kb.search.visibility import ARTICLE_LABEL, registered_labels, visible_ids, visible_page_ids
from sitewide.ids import MAX_ID, parse_id
from sitewide.ratelimit import rate_limited
from support.events import record_event
from support.forms import ContactForm, VoteForm
from support.models import Event, Ticket
from support.suggestions import FLOWS, suggest_while_typing
from support.tickets import open_ticket
from support.visits import (
    CONTACT_LANGUAGE,
    clean_visit_id,
    current_visit_id,
    forget_visit,
    new_visit_id,
    remember_visit,
)
from support.vote_widget import widget_context
from support.votes import cast_vote, current_vote

VOTE_ANCHOR = "#article-vote"
#: Ranks beyond this are not a place a suggestion list shows.
MAX_RANK = 32767
THANKS_SALT = "support.contact.thanks"
THANKS_MAX_AGE = 7 * 24 * 60 * 60


def _visible_article(request, page_id) -> ArticlePage:
    """The live article this reader may open, or 404 (never reveals a private one)."""
    if page_id > MAX_ID:  # a database integer cannot hold it: no such page
        raise Http404
    article = ArticlePage.objects.filter(pk=page_id).live().first()
    if article is None or article.pk not in visible_page_ids(request.reader, [article.pk]):
        raise Http404
    return article


def _back_to_article(request, article, *, from_contact="") -> HttpResponseRedirect:
    query = f"?{urlencode({'from_contact': from_contact})}" if from_contact else ""
    return HttpResponseRedirect(article.get_url(request) + query + VOTE_ANCHOR)


@require_POST
@rate_limited("vote")
def vote(request, page_id):
    """A Yes/No (and for a No, why) on an article: plain form POST + redirect, or an inline swap."""
    article = _visible_article(request, page_id)
    form = VoteForm(request.POST)
    from_contact = clean_visit_id(request.POST.get("from_contact"))
    if not form.is_valid():
        if request.htmx:
            state = "why" if request.POST.get("helpful") == "no" else None
            context = widget_context(request, article, current_vote(request.reader, article), form=form, state=state)
            return render(request, "support/includes/article_vote.html", context, status=400)
        messages.error(request, _("Please choose Yes or No, and keep the comment under 1,000 characters."))
        return _back_to_article(request, article, from_contact=from_contact)
    outcome = cast_vote(
        request.reader,
        article,
        helpful=form.cleaned_data["helpful"] == "yes",
        reason=form.cleaned_data["reason"],
        comment=form.cleaned_data["comment"],
        revision_id=form.cleaned_data["revision"],
    )
    if request.htmx:
        return render(request, "support/includes/article_vote.html", widget_context(request, article, outcome.vote))
    return _back_to_article(request, article, from_contact=from_contact)


@require_POST
def solved(request, page_id):
    """ "This solved my problem" on an article opened from the contact form's suggestions.

    Recorded once per visit and article, and only for the visitor who started that visit: a
    link with someone else's visit id confirms nothing.
    """
    article = _visible_article(request, page_id)
    visit_id = clean_visit_id(request.POST.get("from_contact"))
    visitor_id = request.reader.visitor_id
    started_by_this_visitor = (
        visit_id
        and visitor_id
        and Event.objects.filter(kind=Event.Kind.CONTACT_STARTED, visit_id=visit_id, visitor_id=visitor_id).exists()
    )
    if started_by_this_visitor and not request.reader.is_bot:
        already = Event.objects.filter(kind=Event.Kind.SOLVED_CONFIRMED, visit_id=visit_id, article=article).exists()
        if not already:
            record_event(
                Event.Kind.SOLVED_CONFIRMED,
                reader=request.reader,
                flow=Event.Flow.CONTACT,
                visit_id=visit_id,
                article=article,
            )
    if request.htmx:
        context = widget_context(request, article, current_vote(request.reader, article), solved=True)
        return render(request, "support/includes/article_vote.html", context)
    messages.success(request, _("We're glad this solved your problem. You don't need to contact support."))
    return HttpResponseRedirect(article.get_url(request) + VOTE_ANCHOR)


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request):
    if request.method == "POST":
        if "find_articles" in request.POST:
            return _find_articles(request)
        return _submit_contact(request)
    visit_id = current_visit_id(request) or new_visit_id()
    # The browser has its visitor cookie before it submits: a double submit is recognised by it,
    # and the thank-you page shows the reference only to it.
    request.reader.get_or_create_visitor_id()
    _record_contact_started(request, visit_id)
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    response = render(
        request, "support/contact.html", _contact_context(request, ContactForm(initial=initial), visit_id)
    )
    remember_visit(response, visit_id)
    return response


def _record_contact_started(request, visit_id):
    if not Event.objects.filter(kind=Event.Kind.CONTACT_STARTED, visit_id=visit_id).exists():
        record_event(Event.Kind.CONTACT_STARTED, reader=request.reader, flow=Event.Flow.CONTACT, visit_id=visit_id)


def _contact_context(request, form, visit_id) -> dict:
    return {
        "form": form,
        "visit_id": visit_id,
        "suggestions_url": reverse("support:contact_suggestions"),
        "logged_in": request.user.is_authenticated,
    }


@rate_limited("suggest")
def _find_articles(request):
    """Without JavaScript, "Find articles first" shows the suggestions beside the form as filled in."""
    fields = ("subject", "description", "email")
    form = ContactForm(initial={name: str(request.POST.get(name, ""))[:20_000] for name in fields})
    visit_id = clean_visit_id(request.POST.get("visit")) or current_visit_id(request) or new_visit_id()
    text = f"{form.initial['subject']} {form.initial['description']}"
    context = _contact_context(request, form, visit_id)
    context["shown"] = suggest_while_typing(
        request.reader, text, flow=Event.Flow.CONTACT, visit_id=visit_id, language=get_language()
    )
    return render(request, "support/contact.html", context)


@rate_limited("contact")
def _submit_contact(request):
    form = ContactForm(request.POST)
    if form.is_from_a_bot:  # the honeypot: look like success, store nothing
        return HttpResponseRedirect(reverse("support:contact_thanks", args=["-"]))
    if not form.is_valid():
        visit_id = clean_visit_id(request.POST.get("visit")) or current_visit_id(request) or new_visit_id()
        return render(request, "support/contact.html", _contact_context(request, form, visit_id), status=400)
    data = form.cleaned_data
    visitor_id = request.reader.get_or_create_visitor_id()
    outcome = open_ticket(
        subject=data["subject"],
        description=data["description"],
        email=data["email"],
        language=get_language(),
        requester=request.user if request.user.is_authenticated else None,
        visitor_id=visitor_id,
        visit_id=data["visit"],
    )
    token = signing.dumps(outcome.ticket.pk, salt=_thanks_salt(visitor_id))
    response = HttpResponseRedirect(reverse("support:contact_thanks", args=[token]))
    forget_visit(response)
    return response


def _thanks_salt(visitor_id: str) -> str:
    # The visitor cookie is part of the salt: a thank-you link opened in any other browser (a
    # shared link, a proxy log) does not verify, so it never shows the reference or the address.
    return f"{THANKS_SALT}:{visitor_id}"


@require_GET
@never_cache
@vary_on_cookie
def contact_thanks(request, token):
    """After a submit (Post/Redirect/Get): the reference and address, for the browser that sent it.

    The token is signed for the submitter's visitor cookie and names the ticket by id (the
    reference is not in the URL). Anyone else gets the same page without them.
    """
    visitor_id = request.reader.visitor_id
    ticket = None
    if visitor_id:
        try:
            ticket_id = signing.loads(token, salt=_thanks_salt(visitor_id), max_age=THANKS_MAX_AGE)
        except signing.BadSignature:
            ticket_id = None
        if isinstance(ticket_id, int):
            ticket = (
                Ticket.objects.filter(pk=ticket_id, visitor_id=visitor_id)
                .only("reference", "requester_email", "requester_id")
                .first()
            )
    return render(request, "support/contact_thanks.html", {"ticket": ticket})


@require_GET
@rate_limited("suggest")
def contact_suggestions(request):
    """The articles to show beside the contact form for what was typed (an HTML fragment)."""
    visit_id = clean_visit_id(request.GET.get("visit"))
    text = " ".join(str(request.GET.get(name, ""))[:1000] for name in ("subject", "description", "q"))
    shown = (
        suggest_while_typing(request.reader, text, flow=Event.Flow.CONTACT, visit_id=visit_id, language=get_language())
        if visit_id
        else None
    )
    return render(request, "support/includes/contact_suggestions.html", {"shown": shown})


def _record_opening(request, *, kind: str, target, article=None) -> tuple[str, str]:
    """Record SUGGESTION_OPENED for the visit and flow the link carries; returns (visit, flow)."""
    visit_id = clean_visit_id(request.GET.get("visit"))
    flow = request.GET.get("flow") if request.GET.get("flow") in FLOWS else ""
    rank = parse_id(request.GET.get("rank"), maximum=MAX_RANK)
    if visit_id and flow:
        record_event(
            Event.Kind.SUGGESTION_OPENED,
            reader=request.reader,
            flow=flow,
            visit_id=visit_id,
            article=article,
            rank=rank,
            query=str(request.GET.get("q", ""))[:200],
            data={"result": {"kind": kind, "id": target.pk, "title": str(getattr(target, "title", ""))[:255]}},
        )
    return visit_id, flow


@require_GET
def open_result(request):
    """A suggested community answer opened: recorded, then a redirect to it (never elsewhere).

    The result is named by its search-index kind and id (support sits below the forum and
    never imports it): only kinds registered with the search's visibility registry, which
    also says whether this reader may open it; the model's own URL is where the redirect goes.
    """
    kind = str(request.GET.get("kind", ""))
    object_id = parse_id(request.GET.get("id"))
    if kind not in registered_labels() or object_id is None:
        raise Http404
    if object_id not in visible_ids(request.reader, kind, [object_id]):
        raise Http404
    target = apps.get_model(kind).objects.filter(pk=object_id).first()
    if target is None:
        raise Http404
    if hasattr(target, "get_url"):  # a Wagtail page
        url = target.get_url(request) or ""
    else:
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise Http404
    _record_opening(request, kind=kind, target=target)
    return HttpResponseRedirect(url)


@require_GET
def open_suggestion(request, page_id):
    """A suggested article opened: recorded, then a redirect to the article (never elsewhere).

    From the contact form, the article is marked as read in that visit (``from_contact``) and,
    when it is in another language than the form, names the form's language, so its "Back to
    the contact form" leads to the form the reader left.
    """
    article = _visible_article(request, page_id)
    visit_id, flow = _record_opening(request, kind=ARTICLE_LABEL, target=article, article=article)
    params = {}
    if visit_id and flow == Event.Flow.CONTACT:
        params["from_contact"] = visit_id
        if get_language() != article.locale.language_code:
            params[CONTACT_LANGUAGE] = get_language()
    query = f"?{urlencode(params)}" if params else ""
    return HttpResponseRedirect(article.get_url(request) + query)
