"""Every listing of pages shows a restricted page only to readers its restriction lets in.

One restricted article ("Okapi roadmap") sits beside a public one in a category, is listed as the
public article's related article, is among the newest and most viewed, and has a translation;
its category also holds a restricted sub-section. Each listing is read as an anonymous visitor, a
logged-in outsider and an allowed reader, for each kind of Wagtail restriction (login, groups,
shared password). Feeds and the sitemap are fetched without a session and stay public-only.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from kb.models import ArticleDailyView
from kb.visibility import visible_pages
from support.events import record_event
from support.metrics.articles import MIN_RANKED_VOTES
from support.models import Event
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.support.admin_helpers import an_agent
from tests.support.helpers import vote_url

pytestmark = pytest.mark.django_db

SECRET = "Okapi roadmap"
SECRET_SUMMARY = "Unreleased okapi plans"
COUNCIL = "Advisory council"


def restrict(page, kind: str) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="okapi-pass" if kind == PageViewRestriction.PASSWORD else ""
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.get_or_create(name=COUNCIL)[0])
    return restriction


@pytest.fixture
def site(help_centers):
    public = make_article("Connect to Wi-Fi", summary="Get online.")
    secret = make_article(SECRET, summary=SECRET_SUMMARY, translation_key="okapi")
    make_article("Дорожная карта окапи", locale="ru", translation_key="okapi")
    public.related_articles.create(related_page=secret)
    public.save_revision().publish()
    ArticleDailyView.add_view(secret.pk)
    return {"public": public, "secret": secret}


def browser_as(role: str, kind: str, restriction) -> Client:
    """A browser for one of: anonymous, outsider (logged in, not let in), allowed."""
    client = Client(**BROWSER_HEADERS)
    if role == "anonymous":
        return client
    user = UserFactory()
    if role == "allowed":
        if kind == PageViewRestriction.GROUPS:
            user.groups.add(Group.objects.get(name=COUNCIL))
        client.force_login(user)
        if kind == PageViewRestriction.PASSWORD:
            session = client.session
            session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
            session.save()
        return client
    client.force_login(user)
    return client


#: (restriction kind, role, may see). A login restriction has no logged-in outsider.
CASES = [
    (PageViewRestriction.LOGIN, "anonymous", False),
    (PageViewRestriction.LOGIN, "allowed", True),
    (PageViewRestriction.GROUPS, "anonymous", False),
    (PageViewRestriction.GROUPS, "outsider", False),
    (PageViewRestriction.GROUPS, "allowed", True),
    (PageViewRestriction.PASSWORD, "anonymous", False),
    (PageViewRestriction.PASSWORD, "outsider", False),
    (PageViewRestriction.PASSWORD, "allowed", True),
]


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_a_restricted_related_article_is_listed_only_for_readers_it_lets_in(site, kind, role, may_see):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    page = browser.get(site["public"].url).content.decode()

    assert (SECRET in page) is may_see
    assert (SECRET_SUMMARY in page) is False or may_see


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_the_vote_box_after_no_offers_a_restricted_related_article_only_to_readers_it_lets_in(
    site, kind, role, may_see
):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    inline = browser.post(vote_url(site["public"]), {"helpful": "no"}, HTTP_HX_REQUEST="true").content.decode()
    full = browser.get(site["public"].url).content.decode()

    assert "What was wrong with this article?" in inline
    assert (SECRET in inline) is may_see
    assert (SECRET in full) is may_see


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_the_category_page_lists_a_restricted_article_only_for_readers_it_lets_in(site, kind, role, may_see):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    page = browser.get(site["secret"].get_parent().url).content.decode()

    assert "Connect to Wi-Fi" in page
    assert (SECRET in page) is may_see


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_new_and_popular_articles_on_the_home_page_include_a_restricted_one_only_for_readers_it_lets_in(
    site, kind, role, may_see
):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    response = browser.get("/en/")

    assert (site["secret"].pk in [a.pk for a in response.context["new_articles"]]) is may_see
    assert (site["secret"].pk in [a.pk for a in response.context["popular_articles"]]) is may_see
    assert (SECRET in response.content.decode()) is may_see


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_a_restricted_category_and_its_article_count_show_only_for_readers_it_lets_in(site, kind, role, may_see):
    hidden = make_article("Internal okapi tools", category="internal-okapi", category_title="Internal okapi")
    browser = browser_as(role, kind, restrict(hidden.get_parent(), kind))
    make_article("Pair a keyboard")  # a second public article in the public category

    response = browser.get("/en/")

    counts = {category.title: category.article_count for category in response.context["categories"]}
    assert ("Internal okapi" in counts) is may_see
    assert ("Internal okapi" in response.content.decode()) is may_see
    assert counts["Getting started"] == 3  # the public category's own articles are unaffected


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_the_category_article_count_counts_a_restricted_article_only_for_readers_it_lets_in(site, kind, role, may_see):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    response = browser.get("/en/")

    counts = {category.title: category.article_count for category in response.context["categories"]}
    assert counts["Getting started"] == (2 if may_see else 1)


@pytest.mark.parametrize(("kind", "role", "may_see"), CASES)
def test_the_language_switcher_links_a_restricted_translation_only_for_readers_it_lets_in(site, kind, role, may_see):
    russian = site["secret"].get_translations().get()
    browser = browser_as(role, kind, restrict(russian, kind))

    page = browser.get(site["secret"].url).content.decode()

    assert (russian.url in page) is may_see


@pytest.mark.parametrize(("kind", "role", "_may_see"), CASES)
def test_feeds_and_the_sitemap_never_list_a_restricted_article_whoever_fetches_them(site, kind, role, _may_see):
    browser = browser_as(role, kind, restrict(site["secret"], kind))

    for url in ("/en/feeds/articles.rss", "/en/feeds/articles.atom", "/sitemap.xml"):
        body = browser.get(url).content.decode()
        assert "Connect to Wi-Fi" in body or site["public"].url in body
        assert SECRET not in body and site["secret"].url not in body, url


def test_the_dashboard_ranks_a_restricted_article_only_for_staff_it_lets_in(site):
    restrict(site["secret"], PageViewRestriction.GROUPS)
    for n in range(MIN_RANKED_VOTES):
        record_event(Event.Kind.VOTED, article=site["secret"], visitor_id=f"{n}" * 32, data={"helpful": True})
        record_event(Event.Kind.VOTED, article=site["public"], visitor_id=f"{n}" * 32, data={"helpful": True})
    outsider_agent, council_agent = Client(), Client()
    outsider_agent.force_login(an_agent())
    member = an_agent()
    member.groups.add(Group.objects.get(name=COUNCIL))
    council_agent.force_login(member)

    outside = outsider_agent.get("/admin/").content.decode()
    inside = council_agent.get("/admin/").content.decode()

    assert "Connect to Wi-Fi" in outside and SECRET not in outside
    assert SECRET in inside


def test_a_restriction_on_an_ancestor_hides_every_page_below_it(site):
    restrict(site["secret"].get_parent(), PageViewRestriction.LOGIN)

    assert list(visible_pages(type(site["secret"]).objects.filter(pk=site["public"].pk))) == []
    browser = browser_as("anonymous", PageViewRestriction.LOGIN, None)
    assert browser.get(site["public"].get_parent().url).status_code in (302, 401, 403)


def test_a_group_restriction_without_groups_lets_only_superusers_in(site):
    PageViewRestriction.objects.create(page=site["secret"], restriction_type=PageViewRestriction.GROUPS)
    outsider, admin = Client(), Client()
    outsider.force_login(UserFactory())
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert SECRET not in outsider.get(site["public"].url).content.decode()
    assert SECRET in admin.get(site["public"].url).content.decode()


def test_listings_run_the_same_number_of_queries_however_many_restrictions(site):
    browser = browser_as("anonymous", PageViewRestriction.LOGIN, None)
    browser.get("/en/")  # warm Wagtail's site caches

    with CaptureQueriesContext(connection) as few:
        browser.get("/en/")
    for n in range(20):
        restrict(make_article(f"Private {n}", category=f"private-{n}", category_title=f"Private {n}"), "login")
    with CaptureQueriesContext(connection) as many:
        browser.get("/en/")

    assert len(many.captured_queries) == len(few.captured_queries)
