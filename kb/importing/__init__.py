"""Importing help articles from Markdown files with YAML front matter.

The format is the one of shared/corpora/gnome-help and gnome-help-structured::

    ---
    title: "Turn on bounce keys"
    slug: "a11y-bouncekeys"
    locale: en
    translation_key: "a11y-bouncekeys"
    summary: "Ignore quickly-repeated key presses of the same key."
    category: "a11y"
    category_title: "Accessibility"
    tags: ["keyboard"]
    ---
    Markdown body…

The body becomes StreamField blocks (steps, callouts, headings, code, tables, rich text; see
kb.markdown_blocks), every piece of HTML through an allow-list. Pages are matched on
(translation key, locale), so importing again updates in place and never duplicates;
translations of one article share a Wagtail translation key and are linked. Each file is
imported in its own transaction: a bad file is reported and skipped, and leaves nothing behind.

Links between articles (``[text](other-slug.md#a-section)``, relative to the linking file) become
Wagtail page links to the article imported from that file, in the same language, so they follow
moves and renames; the section is kept when it is one of the target's h2 headings, the ids the
article page renders (kb.rich_text), and dropped otherwise (the link opens the article's top).
A link to a file that this run does not import falls back to an article of the site whose slug
is the file's name, in the same language; with neither, it becomes plain text and is reported.
A run imports in two passes: a link to an article the run creates later is filled in once every
file has its page (:meth:`ImportRun.finish`), in the revision that run made.

Speed: a run writes each article once (one page save, one revision, one audit-log entry) and
leaves what Wagtail would redo on every save to the end of the run, once per page: the
reference index (used-by counts), Wagtail's admin search, and the public search index, written in
bulk after commit (BENCHMARKS.md, "Setup speed").

Modules: ``sources`` (the file format, reading and validating a file), ``pages`` (help-center
homes, categories, publishing a page in one save), ``run`` (an import run); this module only
re-exports.
"""

from kb.importing.pages import ensure_category, ensure_help_center, go_live, new_home, publish, site_root_home
from kb.importing.run import ImportResult, ImportRun, import_article
from kb.importing.sources import (
    HOME_KEY,
    MAX_FILE_BYTES,
    TRANSLATION_KEY_NAMESPACE,
    ArticleSource,
    ImportFileError,
    clean_field,
    find_article_files,
    parse_article_file,
    translation_key_for,
)
from kb.markdown_blocks import CODE_LANGUAGE_LENGTH

__all__ = [
    "CODE_LANGUAGE_LENGTH",
    "HOME_KEY",
    "MAX_FILE_BYTES",
    "TRANSLATION_KEY_NAMESPACE",
    "ArticleSource",
    "ImportFileError",
    "ImportResult",
    "ImportRun",
    "clean_field",
    "ensure_category",
    "ensure_help_center",
    "find_article_files",
    "go_live",
    "import_article",
    "new_home",
    "parse_article_file",
    "publish",
    "site_root_home",
    "translation_key_for",
]
