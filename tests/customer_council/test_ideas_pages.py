"""The board's pages and forms: who gets in, what they see, and bad input answered with a 4xx."""

import pytest
from django.urls import reverse

from customer_council.models import Idea, IdeaComment, IdeaMerge, IdeaStatus, IdeaVote, Membership, ProductArea, Team
from customer_council.services import ideas
from kb.models import SearchEvent
from support.models import Event
from tests.factories import UserFactory, make_article
from tests.factories.council import make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db

#: The board's queries whatever the page: session, user and groups, the access checks of the
#: middleware and the gate, the reader's visibility, count, page rows, the reader's votes on the
#: page, statuses, areas, the member's last visit and their status updates, and the site header.
BOARD_QUERIES = 23


def post(author, title="Dark mode", **fields):
    return ideas.post_idea(author, title, fields.pop("problem", "Bright screens"), **fields)


def expired_member():
    user = UserFactory()
    make_membership(user, state=Membership.State.EXPIRED)
    return user


def every_url(idea, merge):
    """(method, url) for every ideas URL."""
    return [
        ("get", reverse("customer_council:ideas")),
        ("get", reverse("customer_council:idea_new")),
        ("post", reverse("customer_council:idea_new")),
        ("get", reverse("customer_council:ideas_similar") + "?q=dark"),
        ("get", reverse("customer_council:idea", args=[idea.pk])),
        ("get", reverse("customer_council:idea_status_panel", args=[idea.pk])),
        ("post", reverse("customer_council:idea_vote", args=[idea.pk])),
        ("post", reverse("customer_council:idea_follow", args=[idea.pk])),
        ("post", reverse("customer_council:idea_comment", args=[idea.pk])),
        ("post", reverse("customer_council:idea_status", args=[idea.pk])),
        ("post", reverse("customer_council:idea_team", args=[idea.pk])),
        ("post", reverse("customer_council:idea_merge", args=[idea.pk])),
        ("post", reverse("customer_council:idea_merge_undo", args=[merge.pk])),
    ]


@pytest.fixture
def board():
    manager = make_council_manager()
    idea = post(make_council_member(), title="Dark mode secret")
    other = post(make_council_member(), title="Export")
    merge = ideas.merge(other, idea, by=manager)
    return {"idea": idea, "merge": merge, "manager": manager}


def test_anonymous_visitors_are_sent_to_log_in_from_every_ideas_url(client, board):
    for method, url in every_url(board["idea"], board["merge"]):
        data = {"body": "x", "title": "t", "problem": "p"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


@pytest.mark.parametrize("outsider", [UserFactory, expired_member], ids=["non-member", "expired member"])
def test_logged_in_outsiders_get_404_on_every_ideas_url_and_nothing_is_written(client, board, outsider):
    client.force_login(outsider())
    votes, comments = IdeaVote.objects.count(), IdeaComment.objects.count()

    for method, url in every_url(board["idea"], board["merge"]):
        data = {"body": "x", "title": "Leak", "problem": "p", "target": board["idea"].pk}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, url
        assert b"Dark mode secret" not in response.content, url

    assert (IdeaVote.objects.count(), IdeaComment.objects.count()) == (votes, comments)
    assert not Idea.objects.filter(title="Leak").exists()


def test_members_get_404_on_manager_actions(client, board):
    member = make_council_member()
    client.force_login(member)
    idea = board["idea"]

    for name, args in (
        ("idea_status", [idea.pk]),
        ("idea_team", [idea.pk]),
        ("idea_merge", [idea.pk]),
        ("idea_merge_undo", [board["merge"].pk]),
    ):
        assert client.post(reverse(f"customer_council:{name}", args=args), {"status": 1}).status_code == 404

    assert IdeaMerge.objects.get().undone_at is None


def test_a_member_posts_an_idea_and_votes_with_plain_forms(client):
    member = make_council_member()
    area = ProductArea.objects.create(name="Dashboard")
    client.force_login(member)

    response = client.post(
        reverse("customer_council:idea_new"),
        {
            "title": "Keyboard shortcuts",
            "problem": "Mouse is slow",
            "body": "*Please*",
            "product_area": area.pk,
            "tags": "ux, speed",
        },
    )
    idea = Idea.objects.get(title="Keyboard shortcuts")
    assert response.status_code == 302 and response["Location"] == reverse("customer_council:idea", args=[idea.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"<em>Please</em>" in page.content

    voter = make_council_member()
    client.force_login(voter)
    url = reverse("customer_council:idea_vote", args=[idea.pk])
    client.post(url)
    client.post(url)
    assert Idea.objects.get(pk=idea.pk).vote_count == 2
    fragment = client.post(url, {"action": "unvote"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"data-idea-vote" in fragment.content
    answer = client.post(url, {"action": "vote"}, HTTP_ACCEPT="application/json")
    assert answer.json() == {"voted": True, "vote_count": 2, "follower_count": 1}


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "problem": "p"},
        {"title": "x" * 400, "problem": "p"},
        {"title": "nul\x00", "problem": "p"},
        {"title": "Fine", "problem": "p", "body": "b" * 50000},
        {"title": "Fine", "problem": "p", "body": "> " * 30 + "deep"},
        {"title": "Fine", "problem": "p" * 2001},
        {"title": "Fine", "problem": "p", "product_area": "99999999999999999999"},
        {"title": "Fine", "problem": "p", "tags": ",".join(f"t{n}" for n in range(20))},
    ],
)
def test_hostile_or_huge_idea_forms_get_a_4xx_with_a_message_and_write_nothing(client, data):
    client.force_login(make_council_member())

    response = client.post(reverse("customer_council:idea_new"), data)

    assert 400 <= response.status_code < 500 and response.status_code != 404
    assert b'role="alert"' in response.content
    assert not Idea.objects.exists()


def test_a_double_submit_is_refused_with_409(client):
    client.force_login(make_council_member())
    data = {"title": "Same", "problem": "p"}

    client.post(reverse("customer_council:idea_new"), data)
    again = client.post(reverse("customer_council:idea_new"), data)

    assert again.status_code == 409 and Idea.objects.count() == 1


def test_hostile_comments_are_refused_and_html_is_never_markup(client):
    idea = post(make_council_member())
    client.force_login(make_council_member())
    url = reverse("customer_council:idea_comment", args=[idea.pk])

    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "a\x00b"}).status_code == 400
    assert client.post(url, {"body": "c" * 10001}).status_code == 400
    assert IdeaComment.objects.count() == 0
    client.post(url, {"body": "<script>alert(1)</script>"})
    page = client.get(reverse("customer_council:idea", args=[idea.pk]))
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content


def test_a_merged_idea_sends_members_to_its_target_and_managers_see_it(client, board):
    source = board["merge"].source
    client.force_login(make_council_member())
    response = client.get(reverse("customer_council:idea", args=[source.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("customer_council:idea", args=[board["idea"].pk])

    client.force_login(board["manager"])
    assert client.get(reverse("customer_council:idea", args=[source.pk])).status_code == 200


def test_a_hidden_idea_is_404_for_members_and_missing_from_the_board(client):
    idea = post(make_council_member(), title="Hidden thing")
    Idea.objects.filter(pk=idea.pk).update(hidden=True)
    client.force_login(make_council_member())

    assert client.get(reverse("customer_council:idea", args=[idea.pk])).status_code == 404
    assert b"Hidden thing" not in client.get(reverse("customer_council:ideas")).content
    assert client.get(reverse("customer_council:ideas_similar") + "?q=hidden").json() == {"results": []}


def test_voters_commercial_data_is_shown_to_managers_only(client):
    enterprise = UserFactory()
    make_membership(enterprise, plan="Enterprise plan", segment="Banking", revenue_band="Over 10M")
    idea = post(enterprise, title="Audit log")
    manager = make_council_manager()

    client.force_login(make_council_member())
    as_member = client.get(reverse("customer_council:idea", args=[idea.pk])).content
    client.force_login(manager)
    as_manager = client.get(reverse("customer_council:idea", args=[idea.pk])).content

    for secret in (b"Enterprise plan", b"Banking", b"Over 10M"):
        assert secret not in as_member
        assert secret in as_manager


def test_managers_change_the_status_with_a_note_that_members_see(client):
    idea = post(make_council_member())
    client.force_login(make_council_manager())
    planned = IdeaStatus.objects.get(name="Planned")

    response = client.post(
        reverse("customer_council:idea_status", args=[idea.pk]), {"status": planned.pk, "note": "In **Q3**"}
    )
    bad = client.post(reverse("customer_council:idea_status", args=[idea.pk]), {"status": "nope"})

    assert response.status_code == 302 and bad.status_code == 400
    client.force_login(make_council_member())
    page = client.get(reverse("customer_council:idea", args=[idea.pk])).content.decode()
    assert "Planned" in page and "<strong>Q3</strong>" in page


def test_merge_and_undo_through_the_forms_with_clear_refusals(client):
    manager = make_council_manager()
    source, target = post(make_council_member(), title="One"), post(make_council_member(), title="Two")
    client.force_login(manager)
    url = reverse("customer_council:idea_merge", args=[source.pk])

    assert client.post(url, {"target": "abc"}).status_code == 400
    assert client.post(url, {"target": "999999"}).status_code == 404
    assert client.post(url, {"target": source.pk}).status_code == 400
    assert client.post(url, {"target": target.pk}).status_code == 302
    again = client.post(url, {"target": target.pk})
    assert again.status_code == 409 and b"already been merged" in again.content

    record = IdeaMerge.objects.get()
    undo = reverse("customer_council:idea_merge_undo", args=[record.pk])
    assert client.post(undo).status_code == 302
    assert client.post(undo).status_code == 409


def test_similar_ideas_come_from_the_search_service_and_only_from_the_board(
    client, help_centers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(make_council_member(), title="Dark mode for reports")
        post(make_council_member(), title="Export reports to CSV")
        post(make_council_member(), title="Single sign-on")
        merged = post(make_council_member(), title="Reports in dark colours")
        for n in range(6):  # enough help articles to crowd ideas out, were they suggested too
            make_article(f"Dark reports for administrators {n}")
    Idea.objects.filter(pk=merged.pk).update(merged_into=Idea.objects.get(title="Dark mode for reports"))
    client.force_login(make_council_member())
    url = reverse("customer_council:ideas_similar")

    rows = client.get(url, {"q": "reports darkness"}).json()["results"]
    titles = {row["title"] for row in rows}
    # Stemmed like the search page ("darkness" finds "dark"); ideas only, never a help article;
    # a merged idea never, even while the index still holds it.
    assert titles == {"Dark mode for reports", "Export reports to CSV"}
    assert client.get(url, {"q": "x\x00" * 500}).json() == {"results": []}
    assert client.get(url, {"q": "%_%"}).status_code == 200
    assert not Event.objects.exists() and not SearchEvent.objects.exists(), "a confidential flow records nothing"


def _many_ideas(count):
    authors = [make_council_member() for _ in range(3)]
    status = IdeaStatus.objects.get(is_default=True)
    Idea.objects.bulk_create(
        [Idea(author=authors[n % 3], title=f"Idea {n}", problem="p", status=status, vote_count=n) for n in range(count)]
    )


@pytest.mark.parametrize("sort", ["votes", "trending", "newest"])
def test_the_board_costs_the_same_queries_on_page_1_and_a_later_page(client, django_assert_max_num_queries, sort):
    _many_ideas(130)
    member = make_council_member()
    for idea in Idea.objects.all()[:30]:
        IdeaVote.objects.create(idea=idea, user=member)
    client.force_login(member)
    url = reverse("customer_council:ideas")
    client.get(url)  # warm up: the access group id is cached once per process

    with django_assert_max_num_queries(BOARD_QUERIES):
        first = client.get(url, {"sort": sort})
    with django_assert_max_num_queries(BOARD_QUERIES):
        later = client.get(url, {"sort": sort, "page": 6, "tag": "", "status": "", "area": ""})

    assert first.status_code == later.status_code == 200
    assert b"Page 6 of 7" in later.content


def test_board_filters_by_status_area_and_tag(client):
    area = ProductArea.objects.create(name="Reports")
    post(make_council_member(), title="Tagged one", tags=["csv"], product_area=area)
    post(make_council_member(), title="Another")
    client.force_login(make_council_member())
    url = reverse("customer_council:ideas")

    assert b"Tagged one" in client.get(url, {"tag": "csv"}).content
    assert b"Another" not in client.get(url, {"tag": "csv"}).content
    assert b"Another" not in client.get(url, {"area": area.pk}).content
    assert client.get(url, {"area": "-1", "status": "x" * 100, "page": "999999"}).status_code == 200


def test_managers_route_an_idea_to_a_team_that_members_do_not_see(client):
    team = Team.objects.create(name="Design crew")
    idea = post(make_council_member())
    client.force_login(make_council_manager())

    assert client.post(reverse("customer_council:idea_team", args=[idea.pk]), {"team": team.pk}).status_code == 302
    assert client.post(reverse("customer_council:idea_team", args=[idea.pk]), {"team": "999"}).status_code == 400
    assert Idea.objects.get(pk=idea.pk).team == team
    client.force_login(make_council_member())
    assert b"Design crew" not in client.get(reverse("customer_council:idea", args=[idea.pk])).content
