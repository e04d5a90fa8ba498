"""Never a server error: every public URL answers any method and any garbled parameter with a
2xx, 3xx or 4xx, for an anonymous visitor and a member (and, on the forum, a moderator).

The URL patterns are found by walking Django's resolver, so a view is covered the day it is
added: a pattern with path parameters must name real values in ``REAL_KWARGS`` (or be built in
``SPECIAL_URLS``), else ``test_every_url_pattern_with_parameters_has_real_values`` fails.

Each pattern is one test. Its URL, with the ids of real objects and with garbled ones (0, huge,
missing, odd strings), is sent GET, HEAD, OPTIONS, PUT, PATCH, DELETE and POST (without a CSRF
token; with one and empty or garbled form data), garbled query strings (with the methods it does
not refuse with 405), and a GET in every site language. Where a view only goes deep with real
parameters (``REAL_DATA``), each of them is also garbled alone. Every 5xx is collected, and all
of them are reported in one assertion message.

/healthz and the search page deliberately answer 503 when the database or the search index is
down; here both are up (the fixture indexes the content), so a 5xx from them is a defect too.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.middleware.csrf import CSRF_SECRET_LENGTH, get_random_string
from django.test import Client, override_settings
from django.urls import LocalePrefixPattern, NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from haystack import connections as search_connections
from wagtail.models import PageViewRestriction

from customer_council.services.ideas import merge as merge_ideas
from customer_council.services.ideas import post_idea
from customer_council.services.membership import invite, nominate
from customer_voice.links import signed_token
from customer_voice.models import SurveyInvitation
from customer_voice.models.surveys import SurveyKind
from customer_voice.services.digest import unsubscribe_token
from customer_voice.services.referrals import link_for
from forum.models import Notification, Topic
from sitewide.visitor import VISITOR_COOKIE
from stories.models import ApprovalLink
from stories.sections import ensure_story_indexes
from stories.services.consent import hash_token
from support.tickets import open_ticket
from support.views import THANKS_SALT
from tests.customer_council.meeting_helpers import add_action_item, add_agenda_item, add_pre_read, make_meeting
from tests.customer_council.roadmap_helpers import make_published_item
from tests.factories import BROWSER_HEADERS, ensure_help_centers, make_article
from tests.factories.council import make_agreements, make_cohort, make_council_manager, make_council_member
from tests.factories.forum import make_category, make_member, make_moderator, make_topic
from tests.factories.stories import make_story

pytestmark = pytest.mark.django_db

#: Route prefixes not walked. /admin/ is Wagtail's editor interface: staff only (everyone here
#: is sent to its login page), hundreds of Wagtail's own patterns covered by Wagtail's test suite,
#: and our additions to it (ticket inbox, reports) have their own tests. /documents/ is Wagtail's
#: document serving, and the site publishes no documents.
SKIPPED_PREFIXES = ("admin/", "documents/")

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

GARBLED_INTS = [0, 2**63]  # no such row; more than a database integer holds
GARBLED_STRS = ["nope", "x" * 300, "ünï-cödé", "²"]

#: SQL, a NUL byte, a bidi override, zero-width and combining characters, an emoji, and digits
#: that are not ASCII (fullwidth, Arabic-Indic): one string, so one request tries them all.
TRICKY = "' OR 1=1 --\x00\u202egnp.exe\u200b\ufeffe\u0301\U0001f4a5\uff11\u0663"
#: Each is sent as every parameter at once, and as each real parameter alone (``REAL_DATA``).
#: "²" is a digit to str.isdigit() but not to int(); 30 nines fit no database integer.
NASTY = ["-1", "²", "9" * 30, TRICKY]
#: 10,000 characters in the free-text parameters (in all of them at once, a page that links
#: to itself with its query string grows to megabytes and the test to minutes).
LONG = dict.fromkeys(["q", "subject", "description", "body", "comment", "title"], (TRICKY * 500)[:10_000])
#: Parameter names the views read (request.GET / request.POST) and the forms' fields.
PARAMETER_NAMES = [
    "page", "q", "lang", "from_contact", "contact_lang", "visit", "flow", "rank", "kind", "id", "e", "r", "to",
    "next", "url", "section", "return_url", "reason", "note", "notification", "action", "helpful",
    "comment", "revision", "email_on_activity", "category", "subject", "description", "email",
    "title", "body", "tags", "is_question", "image", "website", "password", "login",
    "password1", "password2", "oldpassword", "display_name", "preferred_language",
    "referral_source", "marketing_opt_in", "language", "target", "until", "find_articles",
]  # fmt: skip
#: A query string that is not even UTF-8, repeats parameters (the last one counts: page=abc)
#: and names an unknown language.
RAW_QUERY = "&".join(f"{name}=%ff%fe%00" for name in PARAMETER_NAMES) + "&page=1&page=abc&lang=en&lang=xx"


@dataclass
class World:
    """The objects whose ids fill the URLs, and who asks."""

    home: object
    article: object
    protected: object
    restriction: PageViewRestriction
    page_urls: list
    member: object
    moderator: object
    author: object
    forum_category: object
    other_category: object
    topic: object
    other_topic: object
    post: object
    notification: Notification
    visitor_id: str
    visit_id: str
    thanks_token: str
    #: The member's own ticket (My requests).
    ticket_reference: str
    email_key: str
    reset_uid: str
    reset_key: str
    council_member: object
    council_manager: object
    idea: object
    idea_merge: object
    invitation_token: str
    meeting: object
    pre_read: object
    action_item: object
    roadmap_item: object
    story_tokens: dict
    survey_token: str
    referral_code: str
    unsubscribe_token: str


def build_world() -> World:
    help_centers = ensure_help_centers()
    article = make_article("Reset a forgotten password", body="Open Settings, then Users.")
    protected = make_article("Unreleased roadmap", body="Secret plans.")
    restriction = PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="okapi-pass"
    )
    russian_article = make_article("Сброс пароля", locale="ru")
    member, moderator, author = make_member(), make_moderator(), make_member()
    forum_category, other_category = make_category("Coffee"), make_category("Tea")
    topic = make_topic("Grinder too loud", category=forum_category, author=author, posts=3)
    other_topic = make_topic("Noisy grinder", category=forum_category, author=member)
    post = topic.posts.get(position=2)
    Topic.objects.filter(pk=topic.pk).update(accepted_answer=post)
    notification = Notification.objects.create(
        recipient=member, kind=Notification.Kind.REPLY, topic=topic, post=post, actor=author
    )
    visitor_id = uuid.uuid4().hex
    ticket = open_ticket(
        subject="Printer offline",
        description="It stopped printing.",
        email=member.email,
        language="en",
        requester=member,
        visitor_id=visitor_id,
        notify=False,
    ).ticket
    unverified = member.emailaddress_set.create(email=f"second-{member.email}", verified=False)
    make_agreements()
    council_member, council_manager = make_council_member(), make_council_manager()
    idea = post_idea(council_member, "Schedule reports by email", "We export by hand every Monday.")
    duplicate = post_idea(council_member, "Email the weekly report", "Same as the scheduled reports.")
    idea_merge = merge_ideas(duplicate, idea, by=council_manager)
    seat = nominate(
        make_cohort(), "invitee@example.com", "en", date.today(), date.today() + timedelta(days=300), by=council_manager
    )
    invitation_token = invite(seat, by=council_manager).token
    meeting = make_meeting(title="Quarterly council")
    add_agenda_item(meeting, idea=idea)
    pre_read, action_item = add_pre_read(meeting), add_action_item(meeting, council_member)
    roadmap_item = make_published_item(council_manager)
    ensure_story_indexes()
    story = make_story("Acme halves its tickets")
    story_tokens = {}
    for purpose in ("approve", "withdraw"):
        token = f"{purpose}-token-for-the-url-walk"
        ApprovalLink.objects.create(
            story=story, revision=story.latest_revision, purpose=purpose, token_hash=hash_token(token),
            email="contact@example.com", expires_at=timezone.now() + timedelta(days=14),
        )  # fmt: skip
        story_tokens[purpose] = token
    survey = SurveyInvitation.objects.create(kind=SurveyKind.NPS, user=member, email=member.email, language="en")
    pages = [*help_centers.values(), article.get_parent(), article, protected, russian_article]
    return World(
        home=help_centers[settings.LANGUAGE_CODE],
        article=article,
        protected=protected,
        restriction=restriction,
        page_urls=[url for url in (page.get_url() for page in pages) if url],
        member=member,
        moderator=moderator,
        author=author,
        forum_category=forum_category,
        other_category=other_category,
        topic=topic,
        other_topic=other_topic,
        post=post,
        notification=notification,
        visitor_id=visitor_id,
        visit_id=uuid.uuid4().hex,
        thanks_token=signing.dumps(ticket.pk, salt=f"{THANKS_SALT}:{visitor_id}"),
        ticket_reference=ticket.reference,
        email_key=EmailConfirmationHMAC(unverified).key,
        reset_uid=user_pk_to_url_str(member),
        reset_key=default_token_generator.make_token(member),
        council_member=council_member,
        council_manager=council_manager,
        idea=idea,
        idea_merge=idea_merge,
        invitation_token=invitation_token,
        meeting=meeting,
        pre_read=pre_read,
        action_item=action_item,
        roadmap_item=roadmap_item,
        story_tokens=story_tokens,
        survey_token=signed_token(survey),
        referral_code=link_for(member).code,
        unsubscribe_token=unsubscribe_token(member, "newsletter"),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built and indexed once for the module, inside a transaction rolled back at its end.

    Each test runs in a savepoint within it (pytest-django's own transaction), so whatever a
    test's requests change (a moderator locking the topic, a member logging out) is undone
    before the next test. Building it per test would cost more than the requests themselves.
    The search index holds the content, as on a running site (else search answers 503); the
    requests change no document, since the index follows commits and no test commits.
    """
    backend = search_connections["default"].get_backend()
    with django_db_blocker.unblock(), transaction.atomic():
        backend.clear()
        world = build_world()
        for index in search_connections["default"].get_unified_index().get_indexes().values():
            backend.update(index, index.index_queryset())
        yield world
        transaction.set_rollback(True)
    backend.clear()


@pytest.fixture(autouse=True)
def _empty_search_index():
    """Overrides conftest's, which empties the index before each test: here the index built
    with the world serves every test of the module."""


#: Real path parameters for each URL pattern that has some, by its (namespaced) name.
REAL_KWARGS = {
    "support:contact_thanks": lambda w: {"token": w.thanks_token},
    "support:vote": lambda w: {"page_id": w.article.pk},
    "support:solved": lambda w: {"page_id": w.article.pk},
    "support:open_suggestion": lambda w: {"page_id": w.article.pk},
    "support:request": lambda w: {"reference": w.ticket_reference},
    "support:request_solved": lambda w: {"reference": w.ticket_reference},
    "forum:category": lambda w: {"slug": w.forum_category.slug},
    "forum:topic_short": lambda w: {"pk": w.topic.pk},
    "forum:topic": lambda w: {"pk": w.topic.pk, "slug": w.topic.slug},
    "forum:post": lambda w: {"pk": w.post.pk},
    "forum:post_history": lambda w: {"pk": w.post.pk},
    "forum:member": lambda w: {"pk": w.author.pk},
    "forum:reply": lambda w: {"pk": w.topic.pk},
    "forum:edit_post": lambda w: {"pk": w.post.pk},
    "forum:delete_post": lambda w: {"pk": w.post.pk},
    "forum:vote": lambda w: {"pk": w.post.pk},
    "forum:accept": lambda w: {"pk": w.post.pk},
    "forum:clear_answer": lambda w: {"pk": w.topic.pk},
    "forum:draft_article": lambda w: {"pk": w.topic.pk},
    "forum:post_fragment": lambda w: {"topic_pk": w.topic.pk, "post_pk": w.post.pk},
    "forum:watch": lambda w: {"pk": w.topic.pk},
    "forum:reply_count": lambda w: {"pk": w.topic.pk},
    "forum:open_notification": lambda w: {"pk": w.notification.pk},
    "forum:flag": lambda w: {"pk": w.post.pk},
    "forum:moderate_post": lambda w: {"pk": w.post.pk, "action": "hide"},
    "forum:move_topic": lambda w: {"pk": w.topic.pk},
    "forum:merge_topic": lambda w: {"pk": w.topic.pk},
    "customer_council:join": lambda w: {"token": w.invitation_token},
    "customer_council:idea": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_status_panel": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_vote": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_follow": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_comment": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_status": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_team": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_merge": lambda w: {"pk": w.idea.pk},
    "customer_council:idea_merge_undo": lambda w: {"pk": w.idea_merge.pk},
    "customer_council:meeting": lambda w: {"pk": w.meeting.pk},
    "customer_council:meeting_ics": lambda w: {"pk": w.meeting.pk},
    "customer_council:meeting_rsvp": lambda w: {"pk": w.meeting.pk},
    "customer_council:meeting_pre_read": lambda w: {"pk": w.meeting.pk, "pre_read": w.pre_read.pk},
    "customer_council:meeting_action_item": lambda w: {"pk": w.meeting.pk, "item": w.action_item.pk},
    "customer_council:roadmap_item": lambda w: {"pk": w.roadmap_item.pk},
    "whats_new:entry": lambda w: {"pk": w.roadmap_item.pk},
    "stories:approve": lambda w: {"token": w.story_tokens["approve"]},
    "stories:withdraw": lambda w: {"token": w.story_tokens["withdraw"]},
    "voice:survey": lambda w: {"signed": w.survey_token},
    "voice:survey_thanks": lambda w: {"signed": w.survey_token},
    "voice_public:referral": lambda w: {"code": w.referral_code},
    "voice_public:unsubscribe": lambda w: {"token": w.unsubscribe_token},
    "voice:email_preferences_signed": lambda w: {"token": w.unsubscribe_token},
    "forum:topic_tool": lambda w: {"pk": w.topic.pk, "tool": "lock"},
    "forum:suspend_member": lambda w: {"pk": w.author.pk},
    "forum:unsuspend_member": lambda w: {"pk": w.author.pk},
    "account_confirm_email": lambda w: {"key": w.email_key},
    "account_reset_password_from_key": lambda w: {"uidb36": w.reset_uid, "key": w.reset_key},
    "kb:authenticate_with_password": lambda w: {
        "page_view_restriction_id": w.restriction.pk,
        "page_id": w.protected.pk,
    },
    "wagtailcore_authenticate_with_password": lambda w: {
        "page_view_restriction_id": w.restriction.pk,
        "page_id": w.protected.pk,
    },
}

#: Patterns whose URLs are not made by reversing a name: (real URLs, garbled URLs).
SPECIAL_URLS = {
    # Wagtail's page-serving catch-all: the help-center home, an article and a password-protected
    # one (the other pages get a GET in test_every_page_answers_in_every_language); then paths
    # that name no page.
    "wagtail_serve": lambda w: (
        [w.home.get_url(), w.article.get_url(), w.protected.get_url()],
        ["/en/no-such-page/", "/en/" + "a/" * 60, "/en/ünïcödé/", f"{w.article.get_url()}nope/"],
    ),
    # Uploads, served by Django itself when nothing sits in front of it (SERVE_MEDIA).
    "^media/(?P<path>.*)$": lambda w: (
        [],
        ["/media/", "/media/nope.png", "/media/../settings.py", "/media/%00.png", "/media/" + "a/" * 200],
    ),
}

#: Views that read parameters and stop early unless they are real: (method, real parameters).
#: Each parameter is then also sent garbled while the others stay real.
REAL_DATA = {
    "support:open_suggestion": lambda w: ("get", {"visit": w.visit_id, "flow": "contact", "rank": "1", "q": "pw"}),
    "support:open_result": lambda w: (
        "get",
        {"kind": "forum.topic", "id": w.topic.pk, "visit": w.visit_id, "flow": "forum", "rank": "1"},
    ),
    "support:contact_suggestions": lambda w: (
        "get",
        {"visit": w.visit_id, "subject": "password", "description": "reset"},
    ),
    "support:contact": lambda w: (
        "post",
        {"subject": "Printer", "description": "It stopped.", "email": "a@example.com", "visit": w.visit_id},
    ),
    "support:vote": lambda w: (
        "post",
        {"helpful": "no", "reason": "outdated", "comment": "Old.", "revision": "1", "from_contact": w.visit_id},
    ),
    "support:solved": lambda w: ("post", {"from_contact": w.visit_id}),
    "support:request": lambda w: ("post", {"body": "Still broken."}),
    "kb:search": lambda w: ("get", {"q": "password", "page": "2"}),
    "kb:search_click": lambda w: ("get", {"e": "1", "r": "1", "to": w.article.get_url()}),
    "suggest": lambda w: ("get", {"q": "passw", "lang": "en"}),
    "forum:similar": lambda w: ("get", {"q": "grinder loud", "visit": w.visit_id}),
    "forum:topic": lambda w: ("get", {"page": "1"}),
    "forum:post_fragment": lambda w: ("get", {"section": "accepted"}),
    "forum:new_topic": lambda w: (
        "post",
        {"category": w.forum_category.pk, "title": "Beans go stale", "body": "How long do they keep?"},
    ),
    "forum:reply": lambda w: ("post", {"body": "Try a burr grinder."}),
    "forum:vote": lambda w: ("post", {"action": "up"}),
    "forum:notifications_read": lambda w: ("post", {"notification": w.notification.pk}),
    "forum:merge_topic": lambda w: ("post", {"target": w.other_topic.pk, "reason": "Same question."}),
    "forum:move_topic": lambda w: ("post", {"category": w.other_category.pk}),
    "forum:suspend_member": lambda w: ("post", {"until": "2099-01-01", "reason": "Spam."}),
    "kb:authenticate_with_password": lambda w: (
        "post",
        {"password": "okapi-pass", "return_url": w.protected.get_url()},
    ),
}


@dataclass(frozen=True)
class Route:
    #: The pattern's namespaced name ("support:vote"), or its route when it has no name.
    key: str
    #: (path parameter, "int" for an integer converter or "str").
    parameters: tuple
    localized: bool


def _routes(resolver=None, namespace="", localized=False, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            in_locale = isinstance(pattern.pattern, LocalePrefixPattern)
            yield from _routes(
                pattern,
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                localized or in_locale,
                prefix if in_locale else prefix + str(pattern.pattern),
            )
            continue
        route = prefix + str(pattern.pattern)
        if route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        converters = getattr(pattern.pattern, "converters", {})
        parameters = tuple(
            (name, "int" if type(converters.get(name)).__name__ == "IntConverter" else "str")
            for name in converters or pattern.pattern.regex.groupindex
        )
        key = f"{namespace}{pattern.name}" if pattern.name else route
        yield Route(key=key, parameters=parameters, localized=localized)


ROUTES = {route.key: route for route in _routes()}


def _reverse(route: Route, kwargs: dict, language=settings.LANGUAGE_CODE) -> str | None:
    with translation.override(language):
        try:
            return reverse(route.key, kwargs=kwargs)
        except NoReverseMatch:  # a garbled value the pattern cannot hold: the resolver 404s it
            return None


def urls_for(route: Route, world: World) -> tuple[list, list, list]:
    """(real URLs, the same in the other languages, URLs with garbled path parameters)."""
    if route.key in SPECIAL_URLS:
        real, garbled_urls = SPECIAL_URLS[route.key](world)
        return real, [], garbled_urls
    real_kwargs = REAL_KWARGS[route.key](world) if route.parameters else {}
    real = _reverse(route, real_kwargs)
    in_other_languages = [_reverse(route, real_kwargs, code) for code in OTHER_LANGUAGES] if route.localized else []
    garbled_urls = []
    for name, kind in route.parameters:
        for value in GARBLED_INTS if kind == "int" else GARBLED_STRS:
            url = _reverse(route, {**real_kwargs, name: value})
            if url and url != real:
                garbled_urls.append(url)
    return [real], in_other_languages, garbled_urls


METHODS = ("get", "head", "options", "post", "put", "patch", "delete")


def every_parameter(value: str) -> dict:
    return dict.fromkeys(PARAMETER_NAMES, value)


def a_browser(world: World, user=None) -> Client:
    """A browser with a visitor cookie and a CSRF cookie; CSRF is enforced as in production."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, **BROWSER_HEADERS)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH)
    client.cookies[VISITOR_COOKIE] = world.visitor_id
    if user is not None:
        client.force_login(user)
    return client


class ServerErrors:
    """Sends requests as one browser, and remembers every one answered with a 5xx."""

    def __init__(self):
        self.found = []

    def send(self, who: str, client: Client, method: str, url: str, data=None, *, token=True, **extra) -> int:
        if token and method not in ("get", "head", "options"):
            extra["HTTP_X_CSRFTOKEN"] = client.cookies[settings.CSRF_COOKIE_NAME].value
        if method in ("put", "patch", "delete"):
            body = urlencode(data or {})
            response = getattr(client, method)(url, body, content_type="application/x-www-form-urlencoded", **extra)
        else:
            response = getattr(client, method)(url, data, **extra)
        if response.status_code >= 500:
            error = response.exc_info[1] if getattr(response, "exc_info", None) else ""
            shown = url if len(url) < 120 else url[:117] + "..."
            sent = f" {_summary(data)}" if data else ""
            self.found.append(f"{who} {method.upper()} {shown}{sent} -> {response.status_code} {error!r:.200}")
        return response.status_code


def _summary(data: dict) -> str:
    values = {repr(value)[:24] for value in data.values()}
    if len(values) == 1:
        return f"<every parameter = {values.pop()}>"
    return str({name: repr(value)[:24] for name, value in data.items()})


def exercise(errors: ServerErrors, who: str, client: Client, route: Route, world: World):
    real, in_other_languages, garbled_urls = urls_for(route, world)
    accepted = []
    for url in real:
        answers = {method: errors.send(who, client, method, url) for method in METHODS}
        errors.send(who, client, "post", url, {}, token=False)
        # Garbled data goes with the methods the view takes (a 405 reads no parameter).
        accepted = [method for method in ("get", "post") if answers[method] != 405]
        for method in accepted:
            for n, value in enumerate(NASTY):
                htmx = {"HTTP_HX_REQUEST": "true"} if n % 2 else {}  # the inline (htmx) answers too
                errors.send(who, client, method, url, every_parameter(value), **htmx)
            errors.send(who, client, method, url, LONG)
        if "get" in accepted:
            errors.send(who, client, "get", f"{url}?{RAW_QUERY}")
    if route.key in REAL_DATA:
        method, data = REAL_DATA[route.key](world)
        errors.send(who, client, method, real[0], data)
        for name in data:
            for value in NASTY:
                errors.send(who, client, method, real[0], {**data, name: value})
    if who == "anonymous":
        for url in in_other_languages:
            errors.send(who, client, "get", url)
    for url in garbled_urls:
        for method in accepted or ["get"]:
            errors.send(who, client, method, url, every_parameter("1"))


#: Forum pages that do more for a moderator: the moderation tools, and the pages that show
#: them hidden, held and deleted posts.
MODERATOR_ROUTES = {
    "forum:moderation_queue", "forum:moderation_log", "forum:moderate_post", "forum:topic_tool",
    "forum:move_topic", "forum:merge_topic", "forum:suspend_member", "forum:unsuspend_member",
    "forum:topic", "forum:post_history", "forum:edit_post", "forum:delete_post", "forum:category",
}  # fmt: skip


def askers(route: Route, world: World) -> list:
    """Anonymous and member everywhere; a moderator too where the forum shows them more, and a
    council member and manager in the council (everyone else gets its 404 or login page)."""
    people = [("anonymous", None), ("member", world.member)]
    if route.key in MODERATOR_ROUTES:
        people.append(("moderator", world.moderator))
    if route.key.startswith("customer_council:"):
        people += [("council member", world.council_member), ("council manager", world.council_manager)]
    return people


@pytest.mark.parametrize("route", ROUTES.values(), ids=ROUTES.keys())
@override_settings(RATE_LIMIT_EXEMPT_ADDRESSES=["127.0.0.1"])  # reach the views, not the 429
def test_no_url_answers_any_method_or_garbled_parameter_with_a_server_error(route, world):
    errors = ServerErrors()

    for who, user in askers(route, world):
        exercise(errors, who, a_browser(world, user), route, world)

    assert not errors.found, f"{len(errors.found)} server errors:\n" + "\n".join(errors.found)


def test_every_url_pattern_with_parameters_has_real_values():
    unfilled = [
        route.key
        for route in ROUTES.values()
        if route.parameters and route.key not in REAL_KWARGS and route.key not in SPECIAL_URLS
    ]
    stale = (REAL_KWARGS.keys() | SPECIAL_URLS.keys() | REAL_DATA.keys() | MODERATOR_ROUTES) - ROUTES.keys()

    assert not unfilled, f"add real path parameters to REAL_KWARGS for: {unfilled}"
    assert not stale, f"no such URL pattern any more: {sorted(stale)}"


OPEN_LINKS = {
    "an article": lambda w: reverse("support:open_suggestion", args=[w.article.pk]),
    "a community answer": lambda w: f"{reverse('support:open_result')}?kind=forum.topic&id={w.topic.pk}",
}


@pytest.mark.parametrize("link", OPEN_LINKS.values(), ids=OPEN_LINKS.keys())
def test_a_suggestion_link_refuses_other_methods_than_get_with_405(link, world):
    url = link(world)
    client = a_browser(world)
    token = {"HTTP_X_CSRFTOKEN": client.cookies[settings.CSRF_COOKIE_NAME].value}

    answers = {
        "HEAD": client.head(url).status_code,
        "POST": client.post(url, **token).status_code,
        "PUT": client.put(url, **token).status_code,
        "DELETE": client.delete(url, **token).status_code,
    }

    assert answers == dict.fromkeys(answers, 405)
    assert client.get(url).status_code == 302


@override_settings(RATE_LIMIT_EXEMPT_ADDRESSES=["127.0.0.1"])
def test_every_page_answers_in_every_language_without_a_server_error(world):
    """The help-center homes of every language, a category, and an article in Russian."""
    errors = ServerErrors()

    for who, user in [("anonymous", None), ("member", world.member)]:
        client = a_browser(world, user)
        for url in world.page_urls:
            for method in ("get", "head", "post"):
                errors.send(who, client, method, url)

    assert world.page_urls
    assert not errors.found, f"{len(errors.found)} server errors:\n" + "\n".join(errors.found)
