"""The Markdown importer: the real GNOME Help corpus, re-imports, bad files and hostile content.

Small trees live in tests/fixtures/; files that are awkward to commit (not UTF-8, NUL bytes, huge)
are written to a temporary folder by the test that needs them.
"""

import io
import shutil
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision

from kb.importing import CODE_LANGUAGE_LENGTH, MAX_FILE_BYTES
from kb.models import ArticlePage, CategoryPage, HelpCenterPage

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_SIZES = {"en": 269, "ru": 262, "fa": 257}


def import_articles(path: Path, *options: str) -> tuple[str, str]:
    """Run `manage.py import_articles PATH`; returns (stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_articles", str(path), "--no-progress", *options, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def counts_line(stdout: str) -> str:
    return stdout.strip().splitlines()[-1]


def copy_tree(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def article(slug: str, locale: str = "en") -> ArticlePage:
    return ArticlePage.objects.get(slug=slug, locale__language_code=locale)


def page_state() -> list[tuple]:
    """Everything a re-import could touch: each page's revision pointer and publication times."""
    return list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at", "live"))


def corpus_categories(locale: str) -> set[tuple[str, str]]:
    """(slug, localized title) of every category the corpus files of one language name."""
    categories = set()
    for file in (settings.CORPORA_DIR / "gnome-help" / locale).glob("*.md"):
        meta = yaml.safe_load(file.read_text(encoding="utf-8").split("---\n")[1])
        categories.add((meta["category"], meta["category_title"]))
    return categories


def test_importing_the_gnome_help_corpus_creates_every_article_once_and_a_second_run_changes_nothing(db):
    corpus = settings.CORPORA_DIR / "gnome-help"

    started = time.monotonic()
    first_stdout, first_stderr = import_articles(corpus)
    first_run_seconds = time.monotonic() - started
    state_after_first_run = page_state()
    revisions_after_first_run = Revision.objects.count()
    second_stdout, second_stderr = import_articles(corpus)

    print(f"full GNOME Help import: {first_run_seconds:.1f} s")
    assert counts_line(first_stdout) == "created 788, updated 0, unchanged 0, failed 0"
    assert first_stderr == ""
    for locale, size in CORPUS_SIZES.items():
        articles = ArticlePage.objects.live().filter(locale__language_code=locale)
        assert articles.count() == size
        home = HelpCenterPage.objects.get(locale__language_code=locale)
        categories = CategoryPage.objects.child_of(home).live()
        assert set(categories.values_list("slug", "title")) == corpus_categories(locale)
        assert all(page.get_parent().specific_class is CategoryPage for page in articles[:20])
    en_page = article("a11y-bouncekeys", "en")
    ru_page = article("a11y-bouncekeys", "ru")
    fa_page = article("a11y-bouncekeys", "fa")
    assert ru_page.title == "Включение «отскакивающих клавиш»"
    assert set(en_page.get_translations().values_list("pk", flat=True)) == {ru_page.pk, fa_page.pk}
    assert ru_page.get_parent().title == "Специальные возможности"
    en_keys = set(ArticlePage.objects.filter(locale__language_code="en").values_list("translation_key", flat=True))
    for locale in ("ru", "fa"):
        keys = ArticlePage.objects.filter(locale__language_code=locale).values_list("translation_key", flat=True)
        assert set(keys) <= en_keys, f"every {locale} article is a translation of an English one"

    assert counts_line(second_stdout) == "created 0, updated 0, unchanged 788, failed 0"
    assert second_stderr == ""
    assert page_state() == state_after_first_run
    assert Revision.objects.count() == revisions_after_first_run


def test_importing_a_small_tree_links_the_translations_and_files_them_in_localized_categories(help_centers):
    stdout, stderr = import_articles(FIXTURES / "articles")

    assert counts_line(stdout) == "created 3, updated 0, unchanged 0, failed 0"
    assert stderr == ""
    en_page, ru_page = article("wifi-connect", "en"), article("wifi-connect", "ru")
    assert en_page.live and ru_page.live
    assert list(en_page.get_translations().values_list("pk", flat=True)) == [ru_page.pk]
    assert en_page.get_parent().title == "Networking"
    assert ru_page.get_parent().title == "Сеть"
    assert [block.block_type for block in en_page.body] == ["paragraph", "heading", "steps", "code"]
    assert [tag.name for tag in en_page.tags.all()] == ["wifi"]


def test_a_changed_file_is_updated_in_place_with_a_new_revision(help_centers, tmp_path):
    tree = copy_tree("articles", tmp_path)
    import_articles(tree)
    page = article("printer-setup")
    revisions_before = page.revisions.count()
    source = tree / "en" / "printer-setup.md"
    source.write_text(source.read_text().replace("Most printers", "Nearly all printers"), encoding="utf-8")

    stdout, _stderr = import_articles(tree)

    assert counts_line(stdout) == "created 0, updated 1, unchanged 2, failed 0"
    page = article("printer-setup")
    assert page.revisions.count() == revisions_before + 1
    assert page.latest_revision.pk == page.live_revision.pk
    assert "Nearly all printers" in str(page.body)
    assert ArticlePage.objects.filter(slug="printer-setup").count() == 1


def test_an_article_moved_to_another_category_moves_its_page(help_centers, tmp_path):
    tree = copy_tree("articles", tmp_path)
    import_articles(tree)
    page_id = article("printer-setup").pk
    source = tree / "en" / "printer-setup.md"
    text = source.read_text().replace('category: "printing"', 'category: "hardware"')
    source.write_text(text.replace('category_title: "Printing"', 'category_title: "Hardware"'), encoding="utf-8")

    stdout, _stderr = import_articles(tree)

    assert counts_line(stdout) == "created 0, updated 1, unchanged 2, failed 0"
    page = article("printer-setup")
    assert page.pk == page_id
    assert page.get_parent().specific.title == "Hardware"
    assert page.url_path.endswith("/hardware/printer-setup/")
    assert not ArticlePage.objects.child_of(CategoryPage.objects.get(slug="printing")).exists()


def write_awkward_files(folder: Path) -> None:
    """Files that are easier to make here than to commit: bad encoding, NUL bytes, too big."""
    front_matter = '---\ntitle: "{title}"\nlocale: en\ncategory: "{category}"\n---\n'
    (folder / "not-utf8.md").write_bytes(
        front_matter.format(title="Latin-1", category="not-utf8-category").encode() + b"\xff\xfe caf\xe9\n"
    )
    (folder / "nul-bytes.md").write_bytes(b"\x00\x00---\ntitle: NUL\nlocale: en\n---\nbody\x00\n")
    huge = front_matter.format(title="Huge", category="huge-category") + "word " * (MAX_FILE_BYTES // 5 + 10)
    (folder / "huge.md").write_text(huge, encoding="utf-8")


def test_bad_files_are_reported_one_line_each_and_the_good_ones_still_import(help_centers, tmp_path):
    tree = copy_tree("broken", tmp_path)
    write_awkward_files(tree / "en")
    pages_before = Page.objects.count()

    stdout, stderr = import_articles(tree)

    errors = stderr.splitlines()
    expected_reasons = {
        "broken-front-matter.md": "broken front matter",
        "no-front-matter.md": "no front matter",
        "unknown-locale.md": "unknown locale 'tlh'",
        "no-title.md": "no title",
        "not-utf8.md": "not UTF-8",
        "nul-bytes.md": "contains NUL bytes",
        "huge.md": f"larger than {MAX_FILE_BYTES} bytes",
        "same-slug-as-good-article.md": "slug",
    }
    assert len(errors) == len(expected_reasons), stderr
    for name, reason in expected_reasons.items():
        [line] = [line for line in errors if f"/{name}: " in line]
        assert reason in line
    assert counts_line(stdout) == f"created 1, updated 0, unchanged 0, failed {len(expected_reasons)}"
    assert article("look-background").title == "Change the wallpaper"
    assert Page.objects.count() == pages_before + 2, "only the good article and its category"


def test_a_file_that_fails_leaves_no_page_category_or_tag_behind(help_centers, tmp_path):
    tree = copy_tree("broken", tmp_path)
    write_awkward_files(tree / "en")

    import_articles(tree)

    assert not ArticlePage.objects.filter(title__contains="(copy)").exists()
    assert set(CategoryPage.objects.values_list("slug", flat=True)) == {"look"}
    assert not ArticlePage.tags.filter(name="left-behind").exists()
    assert not Revision.objects.filter(object_str__contains="(copy)").exists()


def test_a_category_without_a_usable_slug_falls_back_to_general(help_centers, tmp_path):
    source = tmp_path / "odd.md"
    source.write_text('---\ntitle: "Odd"\nlocale: en\ncategory: "!!!"\n---\nText.\n', encoding="utf-8")

    stdout, _stderr = import_articles(source)

    assert counts_line(stdout) == "created 1, updated 0, unchanged 0, failed 0"
    assert article("odd").get_parent().slug == "general"


def test_a_code_fence_label_is_cut_to_what_the_code_block_allows(help_centers, tmp_path):
    source = tmp_path / "code.md"
    label = "x" * 60
    source.write_text(f'---\ntitle: "Code"\nlocale: en\n---\n```{label}\nls\n```\n', encoding="utf-8")

    import_articles(source)

    [block] = article("code").body
    assert block.value["language"] == label[:CODE_LANGUAGE_LENGTH]
    assert block.value["code"] == "ls"


def test_empty_tags_are_dropped(help_centers, tmp_path):
    source = tmp_path / "tags.md"
    source.write_text('---\ntitle: "Tags"\nlocale: en\ntags: [null, "", "  ", "ok"]\n---\nText.\n', encoding="utf-8")

    import_articles(source)

    assert [tag.name for tag in article("tags").tags.all()] == ["ok"]


def test_scripts_event_handlers_and_javascript_links_are_stripped_from_the_body(help_centers):
    stdout, _stderr = import_articles(FIXTURES / "hostile")

    assert counts_line(stdout) == "created 1, updated 0, unchanged 0, failed 0"
    stored = str(article("hostile").body.raw_data).lower()
    for hostile in ("<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:"):
        assert hostile not in stored
    assert 'href="https://help.gnome.org/"' in stored
    assert "<b>wait</b>" in stored


def test_the_command_shows_a_progress_bar_and_ends_with_the_counts(help_centers):
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_articles", str(FIXTURES / "articles"), stdout=stdout, stderr=stderr)

    assert "Importing articles" in stderr.getvalue()
    assert "3/3" in stderr.getvalue()
    assert counts_line(stdout.getvalue()) == "created 3, updated 0, unchanged 0, failed 0"


def test_the_progress_bar_redraws_in_place_and_errors_take_one_line(help_centers, tmp_path):
    tree = copy_tree("broken", tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_articles", str(tree), stdout=stdout, stderr=stderr)

    # What a terminal shows: each line as it stands after its last carriage return.
    shown = [line.split("\r")[-1] for line in stderr.getvalue().split("\n")]
    errors = [line for line in shown if ".md: " in line]
    assert len(errors) == 5
    assert all(line.startswith(str(tree)) for line in errors)
    assert "" not in shown[:-1], "no blank line after an error"
    assert len(shown) <= len(errors) + 2, "the bar is redrawn in place, not printed once per file"


def test_the_command_without_progress_writes_nothing_but_errors_on_stderr(help_centers):
    _stdout, stderr = import_articles(FIXTURES / "articles")

    assert stderr == ""


def test_a_missing_path_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        import_articles(tmp_path / "missing")


def test_a_second_file_with_the_same_translation_key_fails_instead_of_overwriting(tmp_path, help_centers):
    for name, title in (("first.md", "First article"), ("second.md", "Second article")):
        (tmp_path / name).write_text(
            f'---\ntitle: "{title}"\nlocale: en\ntranslation_key: "shared-key"\ncategory: "general"\n---\nBody.\n',
            encoding="utf-8",
        )
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_articles", str(tmp_path), "--no-progress", stdout=stdout, stderr=stderr)

    assert "created 1, updated 0, unchanged 0, failed 1" in stdout.getvalue()
    assert "second.md: translation_key 'shared-key' is already used by" in stderr.getvalue()
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["First article"]
