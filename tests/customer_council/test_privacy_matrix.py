"""Council content at every exit that exists today, for every role: the privacy matrix.

Roles (9): anonymous, logged-in non-member, invited (not yet accepted), expired member, revoked
member, active member, council manager, an editor ("Editors") and a support agent ("Support
agents"), none of them in the council.

Exits (25): the council home, a council page, an idea's page, a council document, the search
page, the suggestions API, the forum's similar questions, the contact form's suggestions, the
RSS feed, the Atom feed, the sitemap, the Wagtail admin's page explorer and its page search, and
its document listing, document chooser and a council document's edit view; the roadmap list, a
roadmap preview (under embargo), "You said, we did", the meetings list, a meeting's page, its
.ics, a pre-read link; the public "What's new" page and its feed.

Matrix: 9 roles x 25 exits = 225 cells (``test_cell``; the admin page search leaves council
pages out for everyone but managers: customer_council.admin_search; the admin's document screens
leave council documents out for everyone but managers: customer_council.documents), plus 5 transitions: a
member whose term ends, a member who owes a new agreement, a council page moved out of the private subtree (and
back in), an idea merged into a hidden idea, an idea hidden by a moderator.

In every cell where the role may not see council content, none of it appears: not the page's or
the idea's title, not a word only its body holds, not its URL, not a count of results. Members
and managers see it where it is theirs to see (the council's own exits, search and suggestions);
feeds and the sitemap never list it, for anyone.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from customer_council.models import Idea, IdeaMerge, IdeaStatus, Membership
from customer_council.search_indexes import reindex_ideas_after_commit
from customer_council.services import roadmap
from kb.models import CategoryPage
from support.visits import new_visit_id
from tests.customer_council.area_helpers import make_council_document, make_council_page, make_idea
from tests.customer_council.meeting_helpers import add_pre_read, make_meeting
from tests.factories import UserFactory, make_article
from tests.factories.council import make_agreements, make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db

PAGE_TITLE = "Heliotrope roadmap briefing"
PAGE_WORD = "marzipan"
IDEA_TITLE = "Periwinkle bulk export"
IDEA_WORD = "tangerine"
ROADMAP_TITLE = "Ultramarine planner"
ROADMAP_WORD = "quokka"
MEETING_TITLE = "Saffron council meeting"
DOCUMENT_TITLE = "Kestrel pre-read"
DOCUMENT_TEXT = b"Kestrel quarterly numbers: obsidianite"
QUERY = f"{PAGE_WORD} {IDEA_WORD}"

ROLES = ["anonymous", "outsider", "invited", "expired", "revoked", "member", "manager", "editor", "agent"]
#: Roles that see council content.
INSIDERS = {"member", "manager"}

EXITS = [
    "council_home",
    "council_page",
    "idea_page",
    "document",
    "search_page",
    "suggest_api",
    "forum_similar",
    "contact_suggestions",
    "feed_rss",
    "feed_atom",
    "sitemap",
    "admin_explorer",
    "admin_page_search",
    "admin_page_chooser_search",
    "admin_documents",
    "admin_document_chooser",
    "admin_document_edit",
    "roadmap_list",
    "roadmap_item",
    "you_said_we_did",
    "meetings_list",
    "meeting_page",
    "meeting_ics",
    "meeting_pre_read",
    "whats_new",
    "whats_new_feed",
]
#: Exits that never show council content, to anyone.
PUBLIC_ONLY = {"feed_rss", "feed_atom", "sitemap", "whats_new", "whats_new_feed"}
#: Exits that are not for council content in any role's hands but a manager's (Wagtail admin).
ADMIN = {
    "admin_explorer",
    "admin_page_search",
    "admin_page_chooser_search",
    "admin_documents",
    "admin_document_chooser",
    "admin_document_edit",
}


def make_role(role):
    if role == "anonymous":
        return None
    if role == "member":
        return make_council_member()
    if role == "manager":
        return make_council_manager()
    user = UserFactory()
    if role in ("invited", "expired", "revoked"):
        make_membership(user, state=role)
    elif role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    elif role == "agent":
        user.groups.add(Group.objects.get(name="Support agents"))
    return user


@pytest.fixture
def world(help_centers, django_capture_on_commit_callbacks):
    """A public article, a council page, an idea and a council document, all indexed."""
    make_agreements()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Exporting reports", body="How to export reports.")
        page = make_council_page(help_centers["en"], PAGE_TITLE, PAGE_WORD, summary="For members only.")
        idea = make_idea(IDEA_TITLE, problem=f"Exporting {IDEA_WORD} reports takes hours.")
    document = make_council_document(DOCUMENT_TITLE, filename="kestrel.txt", text=DOCUMENT_TEXT)
    section = page.get_parent()
    manager = make_council_manager()
    with django_capture_on_commit_callbacks(execute=True):
        # Under embargo: members see the preview; What's new, its feed and the sitemap never do.
        item = roadmap.create_item(
            manager, ROADMAP_TITLE, f"The {ROADMAP_WORD} plan.", embargo_until=timezone.now() + timedelta(days=30)
        )
        meeting = make_meeting(MEETING_TITLE)
    pre_read = add_pre_read(meeting, document)
    return {
        "article": article,
        "page": page,
        "idea": idea,
        "document": document,
        "section": section,
        "roadmap_item": item,
        "meeting": meeting,
        "pre_read": pre_read,
    }


def exit_url(exit_, world) -> str:
    page, idea, document, section = world["page"], world["idea"], world["document"], world["section"]
    return {
        "council_home": "/en/council/",
        "council_page": page.url,
        "idea_page": f"/en/council/ideas/{idea.pk}/",
        "document": document.url,
        "search_page": f"/en/search/?q={QUERY}",
        "suggest_api": f"/api/suggest/?q={QUERY}&lang=en",
        "forum_similar": f"/en/forum/similar/?q={QUERY}",
        "contact_suggestions": f"/en/support/contact/suggestions/?q={QUERY}&visit={new_visit_id()}",
        "feed_rss": "/en/feeds/articles.rss",
        "feed_atom": "/en/feeds/articles.atom",
        "sitemap": "/sitemap.xml",
        "admin_explorer": f"/admin/pages/{section.pk}/",
        "admin_page_search": f"/admin/pages/search/?q={PAGE_TITLE.split()[0]}",
        # The page chooser's search (the agent's "resolved with article", an editor's link).
        "admin_page_chooser_search": f"/admin/choose-page/search/?q={PAGE_TITLE.split()[0]}",
        "admin_documents": f"/admin/documents/?q={DOCUMENT_TITLE.split()[0]}",
        "admin_document_chooser": "/admin/documents/chooser/",
        "admin_document_edit": f"/admin/documents/edit/{document.pk}/",
        "roadmap_list": "/en/council/roadmap/",
        "roadmap_item": f"/en/council/roadmap/{world['roadmap_item'].pk}/",
        "you_said_we_did": "/en/council/roadmap/you-said-we-did/",
        "meetings_list": "/en/council/meetings/",
        "meeting_page": f"/en/council/meetings/{world['meeting'].pk}/",
        "meeting_ics": f"/en/council/meetings/{world['meeting'].pk}/invite.ics",
        "meeting_pre_read": f"/en/council/meetings/{world['meeting'].pk}/pre-reads/{world['pre_read'].pk}/",
        "whats_new": "/en/whats-new/",
        "whats_new_feed": "/en/whats-new/feed/",
    }[exit_]


def fetch(client, exit_, world) -> tuple[int, str]:
    """GET one exit (following redirects); the status and the body, less what the request itself
    said (the address asked for, echoed in a login link; the query, echoed in the search box)."""
    url = exit_url(exit_, world)
    response = client.get(url, follow=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = body.decode("utf-8", "replace")
    path = url.split("?")[0]
    # The address asked for comes back in a login link's "next" and in the language switcher.
    echoes = [path] + [f"/{code}{path[3:]}" for code, _name in settings.LANGUAGES if path.startswith("/en/")]
    for echo in echoes:
        for form in (quote(echo, safe=""), quote(echo), echo):
            body = body.replace(form, "")
    if "?q=" in url:
        # The query's words are the reader's own: only a highlighted match (a snippet) is a trace.
        for word in QUERY.split():
            body = body.replace(f"<mark>{word}</mark>", "<mark>MATCH</mark>").replace(word, "")
    return response.status_code, body


def council_traces(body: str, world) -> list[str]:
    """Every trace of council content in a response body."""
    traces = [
        PAGE_TITLE,
        PAGE_WORD,
        IDEA_TITLE,
        IDEA_WORD,
        "<mark>MATCH</mark>",
        DOCUMENT_TITLE,
        DOCUMENT_TEXT.decode(),
        world["page"].url,
        f"/council/ideas/{world['idea'].pk}/",
        world["document"].url,
        ROADMAP_TITLE,
        ROADMAP_WORD,
        MEETING_TITLE,
        f"/council/roadmap/{world['roadmap_item'].pk}/",
        f"/council/meetings/{world['meeting'].pk}/",
    ]
    return [trace for trace in traces if trace in body]


#: What an insider must find at each exit that is theirs (a title or the document's text).
EXPECTED_FOR_INSIDERS = {
    "council_home": [PAGE_TITLE],
    "council_page": [PAGE_TITLE, PAGE_WORD],
    "idea_page": [IDEA_TITLE],
    "document": [DOCUMENT_TEXT.decode()],
    "search_page": [PAGE_TITLE, IDEA_TITLE],
    "suggest_api": [PAGE_TITLE, IDEA_TITLE],
    "forum_similar": [PAGE_TITLE],
    "contact_suggestions": [PAGE_TITLE],
    "roadmap_list": [ROADMAP_TITLE],
    "roadmap_item": [ROADMAP_TITLE, ROADMAP_WORD],
    "meetings_list": [MEETING_TITLE],
    "meeting_page": [MEETING_TITLE, DOCUMENT_TITLE],
    "meeting_ics": [MEETING_TITLE],
    "meeting_pre_read": [DOCUMENT_TEXT.decode()],
}


def cells():
    for role in ROLES:
        for exit_ in EXITS:
            yield pytest.param(role, exit_, id=f"{role}-{exit_}")


@pytest.mark.parametrize(("role", "exit_"), list(cells()))
def test_cell(client, world, role, exit_):
    user = make_role(role)
    if user is not None:
        client.force_login(user)

    status, body = fetch(client, exit_, world)

    assert status < 500, f"{role} at {exit_}: {status}"
    if role in INSIDERS and exit_ in EXPECTED_FOR_INSIDERS:
        assert status == 200, f"{role} at {exit_}: {status}"
        missing = [text for text in EXPECTED_FOR_INSIDERS[exit_] if text not in body]
        assert not missing, f"{role} should see {missing} at {exit_}"
    elif role == "manager" and exit_ in ADMIN:
        pass  # managers run the council: what the admin shows them is theirs (not an exit for them)
    else:
        assert council_traces(body, world) == [], f"{role} sees council content at {exit_}"
        if exit_ == "search_page":
            assert "1 result" not in body and "2 results" not in body, "not even a count"


# --- Transitions ----------------------------------------------------------------------------------


def insider_exits(client, world) -> dict[str, list[str]]:
    return {exit_: council_traces(fetch(client, exit_, world)[1], world) for exit_ in EXPECTED_FOR_INSIDERS}


def test_a_member_whose_term_ends_sees_nothing_at_the_next_request(client, world):
    member = make_council_member()
    client.force_login(member)
    assert all(insider_exits(client, world).values()), "a member sees council content everywhere first"

    Membership.objects.filter(user=member).update(term_end=timezone.localdate() - timedelta(days=1))

    assert insider_exits(client, world) == dict.fromkeys(EXPECTED_FOR_INSIDERS, [])


def test_a_member_who_owes_a_new_agreement_sees_nothing_until_accepting(client, world):
    member = make_council_member()
    client.force_login(member)

    make_agreements(version=2)

    assert insider_exits(client, world) == dict.fromkeys(EXPECTED_FOR_INSIDERS, [])


def test_a_council_page_moved_out_of_the_private_subtree_shows_by_its_new_restriction_only(
    client, world, help_centers, django_capture_on_commit_callbacks
):
    """Decision: a page's privacy is where it is. Moved under a public topic it is public (an
    editor's deliberate publishing act); moved under a login-only topic, logged-in people see it;
    the search index follows the move at once (kb.search.indexing)."""
    page = world["page"]
    private_topic = CategoryPage(title="Staff only", slug="staff-only")
    help_centers["en"].add_child(instance=private_topic)
    PageViewRestriction.objects.create(page=private_topic, restriction_type=PageViewRestriction.LOGIN)

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).move(Page.objects.get(pk=private_topic.pk), pos="last-child")
    page.refresh_from_db()
    assert council_traces(fetch(client, "search_page", world)[1], world) == [], "anonymous: still nothing"
    client.force_login(UserFactory())
    status, body = fetch(client, "search_page", world)
    assert PAGE_TITLE in body, "a logged-in reader finds it by its new (login) restriction"

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).move(Page.objects.get(pk=world["section"].pk), pos="last-child")
    page.refresh_from_db()
    assert council_traces(fetch(client, "search_page", world)[1], world) == [], "back inside: private again"


def test_an_idea_merged_into_a_hidden_idea_shows_neither(client, world, django_capture_on_commit_callbacks):
    idea = world["idea"]
    hidden = make_idea("Secret garnet idea", hidden=True)
    with django_capture_on_commit_callbacks(execute=True):
        IdeaMerge.objects.create(source=idea, target=hidden, previous_status=idea.status)
        Idea.objects.filter(pk=idea.pk).update(
            merged_into=hidden, status=IdeaStatus.objects.get(kind=IdeaStatus.Kind.DUPLICATE)
        )
        reindex_ideas_after_commit(idea, hidden)
    client.force_login(make_council_member())

    for exit_ in ("council_home", "search_page", "suggest_api", "idea_page"):
        status, body = fetch(client, exit_, world)
        assert "garnet" not in body, f"the hidden target's title leaks at {exit_}"
        if exit_ in ("search_page", "suggest_api"):
            assert IDEA_TITLE not in body, "a merged idea leaves the search"


def test_an_idea_hidden_by_a_moderator_leaves_every_members_exit(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Idea.objects.filter(pk=world["idea"].pk).update(hidden=True)
        reindex_ideas_after_commit(world["idea"])
    client.force_login(make_council_member())

    for exit_ in ("council_home", "search_page", "suggest_api", "idea_page", "forum_similar"):
        assert IDEA_TITLE not in fetch(client, exit_, world)[1], exit_
