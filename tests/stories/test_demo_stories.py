"""manage.py load_demo publishes customer stories in every site language, and adds none when run again.

The demo is built once for the module (over the small article corpus of tests/fixtures), inside
a transaction rolled back at its end; each test runs in a savepoint within it.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page, Revision

from stories import measuring
from stories.demo import STORIES_FILE
from stories.models import Customer, StoryPage
from support.metrics.period import Period
from support.models import Event
from tests.html_checks import html_problems

FIXTURES = Path(__file__).parent.parent / "fixtures"
LANGUAGES = ["en", "ru", "fa", "he"]


def load_demo() -> str:
    stdout = io.StringIO()
    call_command("load_demo", "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """What the first load_demo said; the demo it built stays for the module's tests."""
    corpora = tmp_path_factory.mktemp("corpora")
    shutil.copytree(FIXTURES / "articles", corpora / "gnome-help-structured")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(CORPORA_DIR=corpora):
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def demo_stories(language=None):
    stories = StoryPage.objects.live().select_related("locale", "customer").order_by("path")
    return stories.filter(locale__language_code=language) if language else stories


def test_the_demo_publishes_at_least_six_stories_in_every_site_language(demo):
    stories = demo_stories()

    assert "Stories demo: published" in demo
    assert stories.count() >= 6
    assert {story.locale.language_code for story in stories} == set(LANGUAGES)


def test_every_demo_customer_is_marked_as_fictional(demo):
    customers = Customer.objects.filter(stories__isnull=False).distinct()

    assert customers.count() >= 6
    assert all(customer.website.startswith("https://example.com/") for customer in customers)


def test_the_translations_of_a_demo_story_share_its_translation_key(demo):
    northwind = demo_stories().filter(customer__name="Northwind Freight")

    assert sorted(story.locale.language_code for story in northwind) == ["en", "he", "ru"]
    assert len({story.translation_key for story in northwind}) == 1


def test_every_demo_story_has_one_to_three_figures_and_one_or_two_quotes(demo):
    for story in demo_stories():
        assert 1 <= len(story.figures) <= 3, story.url
        assert 1 <= len(story.quotes) <= 2, story.url
        assert story.products.exists(), story.url


def test_the_help_articles_of_a_demo_story_are_in_its_language(demo):
    for story in demo_stories():
        articles = [link.article for link in story.help_articles.select_related("article__locale")]

        assert len(articles) <= 3, story.url
        assert {article.locale_id for article in articles} <= {story.locale_id}, story.url
    # The small corpus has English articles: English stories link one at least.
    assert all(story.help_articles.exists() for story in demo_stories("en"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_story_index_of_each_language_lists_its_demo_stories(client, demo, language):
    response = client.get(f"/{language}/stories/")

    assert response.status_code == 200
    content = response.content.decode()
    for story in demo_stories(language):
        assert f'href="{story.url}"' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_center_home_shows_a_featured_demo_story(client, demo, language):
    featured = demo_stories(language).filter(featured=True)

    content = client.get(f"/{language}/").content.decode()

    assert featured.exists()
    assert 'id="featured-story-heading"' in content
    assert any(f'href="{story.url}"' in content for story in featured)


def test_two_demo_stories_are_featured(demo):
    featured_keys = {story.translation_key for story in demo_stories().filter(featured=True)}

    assert len(featured_keys) == 2


def test_every_demo_story_page_answers_with_well_formed_html(client, demo):
    for story in demo_stories():
        response = client.get(story.url)

        assert response.status_code == 200, story.url
        assert html_problems(response.content.decode()) == [], story.url


def test_loading_the_demo_again_creates_no_story(demo):
    pages = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live"))
    revisions = Revision.objects.count()

    events = Event.objects.count()
    accounts = get_user_model().objects.count()

    output = load_demo()

    assert (Event.objects.count(), get_user_model().objects.count()) == (events, accounts)
    # Every story of the demo data, published or not (one awaits approval, one has expired).
    assert f"Stories demo: {StoryPage.objects.count()} stories kept as they are" in output
    assert list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live")) == pages
    assert Revision.objects.count() == revisions


def test_the_demo_data_says_its_companies_are_fictional():
    assert "invented" in STORIES_FILE.read_text(encoding="utf-8")


def test_the_demo_shows_each_state_of_consent(demo):
    from stories.models import ConsentEvent

    waiting = StoryPage.objects.get(slug="fabrikam-schools")
    assert not waiting.live and waiting.current_workflow_task.specific.__class__.__name__ == "CustomerApprovalTask"
    anonymous = StoryPage.objects.get(slug="wide-world-importers")
    assert anonymous.live and anonymous.customer.name not in anonymous.customer_label
    expired = StoryPage.objects.get(slug="woodgrove-bank")
    assert not expired.live
    assert ConsentEvent.objects.filter(story=expired, kind=ConsentEvent.Kind.EXPIRED).exists()
    named = StoryPage.objects.filter(slug="northwind-freight", locale__language_code="en").get()
    assert named.live and named.customer_label == "Northwind Freight"


def test_the_stories_report_of_the_demo_has_readers_next_actions_and_sign_ups(demo):
    """A new user opening Reports → Stories on ``make run`` sees figures, not an empty table."""
    figures = measuring.story_figures(Period.last_days(30))

    assert len(figures) >= 6
    assert sum(row.views for row in figures) >= 80
    assert sum(row.contact_started for row in figures) > 0
    assert sum(row.signed_up for row in figures) > 0
    assert any(row.referrals for row in figures)
    assert {row.story_id for row in figures} <= set(StoryPage.objects.live().values_list("pk", flat=True))
