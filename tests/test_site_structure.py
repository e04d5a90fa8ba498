"""Every language's help center is routable from migrations on, and search links where pages are now.

A site whose first import is not in LANGUAGE_CODE (Russian-only, Persian-only) must still give its
articles URLs, and a search hit must link to where its page is now, whatever URL the index stored.
"""

import importlib
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, Site

from kb.importing import HOME_KEY
from kb.models import ArticlePage, CategoryPage, HelpCenterPage
from kb.search import indexing
from kb.search.service import search, suggest
from kb.search_indexes import ArticlePageIndex
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
RUSSIAN_ARTICLE = Path(settings.CORPORA_DIR) / "gnome-help" / "ru" / "a11y-bouncekeys.md"


def homes() -> dict[str, HelpCenterPage]:
    return {home.locale.language_code: home for home in HelpCenterPage.objects.select_related("locale")}


def import_articles(path: Path) -> str:
    stdout = io.StringIO()
    call_command("import_articles", str(path), "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def build_site_structure() -> None:
    """Run the migration's data step again, with the models as the migration sees them."""
    migration = importlib.import_module("kb.migrations.0005_site_structure")
    state = MigrationExecutor(connection).loader.project_state(("kb", "0005_site_structure"))
    migration.build_site_structure(state.apps, None)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_after_migrations_alone_every_languages_help_center_answers_at_its_prefix(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    page = response.context["page"]
    assert isinstance(page, HelpCenterPage)
    assert page.locale.language_code == language


def test_after_migrations_alone_the_default_languages_home_is_the_site_root_and_the_others_translate_it():
    site = Site.objects.get(is_default_site=True)

    assert site.root_page.specific_class is HelpCenterPage
    assert site.root_page.locale.language_code == settings.LANGUAGE_CODE
    assert sorted(homes()) == sorted(LANGUAGE_CODES)
    assert {home.translation_key for home in homes().values()} == {HOME_KEY}
    assert not Page.objects.filter(depth=2, slug="home").exists()  # Wagtail's "Welcome" page is gone


def test_an_article_imported_in_russian_first_has_a_url_under_ru_and_search_returns_it(
    client, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "ru"
    folder.mkdir()
    shutil.copy(RUSSIAN_ARTICLE, folder)

    with django_capture_on_commit_callbacks(execute=True):
        import_articles(tmp_path)

    article = ArticlePage.objects.get(slug="a11y-bouncekeys", locale__language_code="ru")
    assert article.url == "/ru/a11y/a11y-bouncekeys/"
    assert client.get(article.url).status_code == 200
    [hit] = search(reader(), "отскакивающих клавиш", language="ru").hits
    assert hit.url == article.url
    suggestions = client.get("/api/suggest/", {"q": "отскакивающих", "lang": "ru"}).json()["results"]
    assert [suggestion["url"] for suggestion in suggestions] == [article.url]


def test_a_stale_url_stored_in_the_index_is_replaced_by_the_pages_current_url(
    client, help_centers, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ArticlePageIndex, "prepare_url", lambda index, page: "/en/where-it-used-to-be/")
    article = publish_article(django_capture_on_commit_callbacks, "Calibrate a touchscreen")

    [hit] = search(reader(), "touchscreen", language="en").hits
    [suggestion] = client.get("/api/suggest/", {"q": "touchscreen", "lang": "en"}).json()["results"]

    assert hit.url == article.url == "/en/getting-started/" + article.slug + "/"
    assert suggestion["url"] == article.url


def test_moving_a_category_to_a_new_slug_changes_the_urls_hits_return_without_a_rebuild(
    help_centers, django_capture_on_commit_callbacks, monkeypatch
):
    article = publish_article(django_capture_on_commit_callbacks, "Clean the print heads", category="printing")
    # A big category is not re-indexed when it is published (it waits for `rebuild_index`): the
    # index keeps its articles' old URLs.
    monkeypatch.setattr(indexing, "MAX_CHILDREN_REINDEXED", 0)
    category = CategoryPage.objects.get(slug="printing", locale__language_code="en")

    with django_capture_on_commit_callbacks(execute=True):
        category.slug = "printers-and-scanners"
        category.save_revision().publish()

    article.refresh_from_db()
    assert article.url == f"/en/printers-and-scanners/{article.slug}/"
    [hit] = search(reader(), "print heads", language="en").hits
    assert hit.url == article.url
    assert [found.url for found in suggest(reader(), "print heads", language="en")] == [article.url]


def test_a_hit_whose_page_no_site_routes_is_not_shown(help_centers, django_capture_on_commit_callbacks):
    article = publish_article(django_capture_on_commit_callbacks, "Pair a stylus")
    elsewhere = Page(title="Elsewhere", slug="elsewhere", locale=article.locale)
    Page.get_first_root_node().add_child(instance=elsewhere)
    Site.objects.update(root_page=elsewhere)  # the help centers are no longer in any site
    Site.clear_site_root_paths_cache()

    assert article.get_url() is None
    assert search(reader(), "stylus", language="en").hits == []


def test_migrating_a_database_whose_first_import_was_russian_makes_its_help_center_routable():
    # What the importer left before this migration existed: Wagtail's "Welcome" page as the site
    # root, and a Russian home beside it, outside the site.
    english = homes()["en"]
    welcome = Page(title="Welcome to your new Wagtail site!", slug="home", locale=english.locale)
    Page.get_first_root_node().add_child(instance=welcome)
    Site.objects.update(root_page=welcome)
    english.delete()
    russian = homes()["ru"]
    Site.clear_site_root_paths_cache()
    assert russian.get_url() is None

    build_site_structure()

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HelpCenterPage
    assert site.root_page.locale.language_code == settings.LANGUAGE_CODE
    assert homes()["ru"].pk == russian.pk
    assert sorted(homes()) == sorted(LANGUAGE_CODES)
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert HelpCenterPage.objects.get(pk=russian.pk).get_url() == "/ru/"


def test_migrating_a_database_that_already_has_its_homes_changes_nothing():
    pages_before = list(Page.objects.order_by("path").values_list("pk", "path", "numchild"))
    root_before = Site.objects.get(is_default_site=True).root_page_id

    build_site_structure()

    assert list(Page.objects.order_by("path").values_list("pk", "path", "numchild")) == pages_before
    assert Site.objects.get(is_default_site=True).root_page_id == root_before
    assert Locale.objects.filter(language_code__in=LANGUAGE_CODES).count() == len(LANGUAGE_CODES)


def test_hits_get_their_current_urls_with_the_same_queries_for_one_hit_and_for_ten(
    help_centers, django_capture_on_commit_callbacks
):
    publish_article(django_capture_on_commit_callbacks, "Widget basics", category="widgets")
    request = reader()
    search(request, "widget", language="en")  # warms Wagtail's cached site root paths

    def queries_for_a_search():
        with CaptureQueriesContext(connection) as queries:
            hits = search(request, "widget", language="en").hits
        assert all(hit.url.startswith("/en/widgets/") for hit in hits)
        return len(queries), len(hits)

    one = queries_for_a_search()
    for n in range(9):
        publish_article(django_capture_on_commit_callbacks, f"Widget tip {n}", category="widgets")
    ten = queries_for_a_search()

    assert (one[1], ten[1]) == (1, 10)
    assert one[0] == ten[0]
