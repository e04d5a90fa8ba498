"""Importing help articles from Markdown files with YAML front matter.

The format is the one of shared/corpora/gnome-help::

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

Pages are matched on (translation key, locale), so importing again updates in place and never
duplicates; translations of one article share a Wagtail translation key and are linked. Each file
is imported in its own transaction: a bad file is reported and skipped, and leaves nothing behind.
"""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import nh3
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Locale, Page, Site

from kb.models import ArticlePage, CategoryPage, HelpCenterPage

#: Namespace for the deterministic translation keys derived from the files' own keys.
TRANSLATION_KEY_NAMESPACE = uuid.UUID("6f1d3c52-7f0e-4c38-9d8e-2b9f5d4f3a10")
HOME_KEY = uuid.uuid5(TRANSLATION_KEY_NAMESPACE, "help-center-home")
MAX_FILE_BYTES = 1_000_000
MAX_TITLE_LENGTH = 255
#: The CodeBlock's language field is at most this long; longer fence labels are cut.
CODE_LANGUAGE_LENGTH = 40
#: Tags the rich-text paragraphs may keep; everything else is stripped (allow-list, not deny-list).
RICH_TEXT_TAGS = {"p", "b", "i", "strong", "em", "a", "ol", "ul", "li", "code", "br", "sub", "sup"}
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)
HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^```\s*([\w+-]*)\s*$")
NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")


class ImportFileError(Exception):
    """A file that cannot be imported; the message names the problem in one line."""


@dataclass
class ArticleSource:
    path: Path
    title: str
    slug: str
    locale: str
    translation_key: str
    summary: str
    category: str
    category_title: str
    tags: list[str] = field(default_factory=list)
    body: list[tuple] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def translation_key_for(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(TRANSLATION_KEY_NAMESPACE, f"{kind}:{key}")


def clean_text(value, *, name: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)):
        raise ImportFileError(f"'{name}' must be text")
    text = str(value).replace("\x00", "").strip()
    if required and not text:
        raise ImportFileError(f"no {name}")
    if len(text) > max_length:
        raise ImportFileError(f"'{name}' is longer than {max_length} characters")
    return text


def markdown_to_blocks(text: str) -> list[tuple]:
    """Split Markdown into StreamField blocks: headings, numbered steps, code and paragraphs."""
    blocks, paragraph, steps, code, code_language = [], [], [], None, ""

    def flush_paragraph():
        if "".join(paragraph).strip():
            html = markdown.markdown("\n".join(paragraph))
            blocks.append(("paragraph", nh3.clean(html, tags=RICH_TEXT_TAGS, url_schemes={"http", "https", "mailto"})))
        paragraph.clear()

    def flush_steps():
        if steps:
            cleaned = [nh3.clean(markdown.markdown(step), tags=RICH_TEXT_TAGS) for step in steps]
            blocks.append(("steps", {"steps": cleaned}))
        steps.clear()

    for line in text.splitlines():
        if code is not None:
            if FENCE.match(line):
                blocks.append(("code", {"language": code_language, "code": "\n".join(code)}))
                code = None
            else:
                code.append(line)
            continue
        if fence := FENCE.match(line):
            flush_paragraph(), flush_steps()
            code, code_language = [], fence.group(1)[:CODE_LANGUAGE_LENGTH]
        elif heading := HEADING.match(line):
            flush_paragraph(), flush_steps()
            level = "h2" if len(heading.group(1)) == 2 else "h3"
            blocks.append(("heading", {"text": heading.group(2)[:200], "level": level}))
        elif step := NUMBERED.match(line):
            flush_paragraph()
            steps.append(step.group(1))
        elif not line.strip():
            flush_paragraph(), flush_steps()
        else:
            flush_steps()
            paragraph.append(line)
    if code is not None:
        blocks.append(("code", {"language": code_language, "code": "\n".join(code)}))
    flush_paragraph(), flush_steps()
    return blocks


def parse_article_file(path: Path) -> ArticleSource:
    """Read and validate one file; raises ImportFileError with a one-line reason."""
    # Check the size before reading, so a huge file is refused without loading it into memory.
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(f"file is larger than {MAX_FILE_BYTES} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"not UTF-8 (byte {error.start})") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise ImportFileError("no front matter (the file must start with a '---' block)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        reason = str(error).splitlines()[0]
        raise ImportFileError(f"broken front matter: {reason}") from None
    if not isinstance(meta, dict):
        raise ImportFileError("broken front matter: expected 'key: value' lines")

    title = clean_text(meta.get("title"), name="title", max_length=MAX_TITLE_LENGTH, required=True)
    locale = clean_text(meta.get("locale"), name="locale", max_length=16, required=True).lower()
    if locale not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ImportFileError(f"unknown locale '{locale}' (known: {known})")
    slug = slugify(clean_text(meta.get("slug"), name="slug", max_length=200) or path.stem, allow_unicode=True)
    if not slug:
        raise ImportFileError("no usable slug")
    # Fall back after slugifying: a category of punctuation only slugifies to "".
    category = slugify(clean_text(meta.get("category"), name="category", max_length=100)) or "general"
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        raise ImportFileError("'tags' must be a list")
    return ArticleSource(
        path=path,
        title=title,
        slug=slug,
        locale=locale,
        translation_key=clean_text(meta.get("translation_key"), name="translation_key", max_length=200) or slug,
        summary=clean_text(meta.get("summary"), name="summary", max_length=300),
        category=category,
        category_title=clean_text(meta.get("category_title"), name="category_title", max_length=255)
        or category.replace("-", " ").capitalize(),
        tags=[tag for tag in (clean_text(tag, name="tag", max_length=100) for tag in tags) if tag],
        body=markdown_to_blocks(match.group(2).replace("\x00", "")),
    )


def publish(page: Page) -> None:
    page.save_revision().publish()


def ensure_help_center(language_code: str) -> HelpCenterPage:
    """The help-center home of a language, created when missing.

    Migration kb.0005 builds every language's home: LANGUAGE_CODE's is the default site's root
    page, the others are its translations, which Wagtail routes under their language prefix. A
    home made later (a language added to LANGUAGES) joins them as a translation of the site root,
    never outside the site, where its pages would have no URL.
    """
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    home = HelpCenterPage.objects.filter(translation_key=HOME_KEY, locale=locale).first()
    if home:
        return home
    site_root = site_root_home()
    if site_root.locale_id == locale.pk:
        return site_root
    home = new_home(locale)
    site_root.get_parent().add_child(instance=home)
    publish(home)
    return home


def site_root_home() -> HelpCenterPage:
    """The default site's root page: a help-center home, which every language's home translates.

    Re-made here when an editor has deleted or replaced it since the migration built it: the home
    of LANGUAGE_CODE becomes the default site's root again.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and site.root_page.translation_key == HOME_KEY:
        root = site.root_page.specific
        if isinstance(root, HelpCenterPage):
            return root
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    home = HelpCenterPage.objects.filter(translation_key=HOME_KEY, locale=locale).first()
    if home is None:
        home = new_home(locale)
        Page.get_first_root_node().add_child(instance=home)
        publish(home)
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def new_home(locale: Locale) -> HelpCenterPage:
    """An unsaved help-center home for ``locale``, titled in its language."""
    with override(locale.language_code):
        return HelpCenterPage(
            title=_("Help Center"),
            slug=f"help-{locale.language_code}",
            intro=_("Answers to common questions, step by step."),
            locale=locale,
            translation_key=HOME_KEY,
        )


def ensure_category(source: ArticleSource) -> CategoryPage:
    home = ensure_help_center(source.locale)
    key = translation_key_for("category", source.category)
    category = CategoryPage.objects.filter(translation_key=key, locale=home.locale).first()
    if category is None:
        category = CategoryPage(
            title=source.category_title, slug=source.category, locale=home.locale, translation_key=key
        )
        home.add_child(instance=category)
        publish(category)
    elif category.title != source.category_title:
        category.title = source.category_title
        publish(category)
    return category


def fingerprint(source: ArticleSource) -> str:
    """A digest of everything imported from a file: equal digests mean nothing to update."""
    payload = json.dumps(
        [source.title, source.slug, source.summary, source.category, source.category_title, source.tags, source.body],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def import_article(source: ArticleSource) -> str:
    """Create or update one article; returns "created", "updated" or "unchanged".

    An article whose source file has not changed since the last import is left alone, so a
    re-import neither makes empty revisions nor overwrites what editors changed since.
    """
    digest = fingerprint(source)
    with transaction.atomic():
        category = ensure_category(source)
        key = translation_key_for("article", source.translation_key)
        article = ArticlePage.objects.filter(translation_key=key, locale=category.locale).first()
        if article is not None and article.import_fingerprint == digest and article.live:
            return "unchanged"
        outcome = "created" if article is None else "updated"
        if article is None:
            article = ArticlePage(locale=category.locale, translation_key=key)
        elif article.get_parent().pk != category.pk:
            article.move(category, pos="last-child")
            article.refresh_from_db()
        article.title, article.slug, article.summary = source.title, source.slug, source.summary
        article.body = source.body
        article.import_fingerprint = digest
        try:
            if article.pk is None:
                category.add_child(instance=article)
            article.tags.set(source.tags, clear=True)
            article.full_clean()
        except ValidationError as error:
            reasons = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
            raise ImportFileError(reasons) from None
        publish(article)
        return outcome


def import_file(path: Path, claimed: dict | None = None) -> tuple[str, str | None]:
    """Import one file; returns (outcome, error). Outcome is "failed" with a one-line error.

    ``claimed`` maps (locale, translation key) to the file that claimed it earlier in the same
    run: a second file with the same key would silently overwrite the first, so it fails instead.
    """
    try:
        source = parse_article_file(path)
        if claimed is not None:
            first = claimed.setdefault((source.locale, source.translation_key), path)
            if first != path:
                raise ImportFileError(f"translation_key '{source.translation_key}' is already used by {first}")
        return import_article(source), None
    except ImportFileError as error:
        return "failed", str(error)
    except OSError as error:
        return "failed", f"cannot read: {error.strerror or error}"


def find_article_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(path.rglob("*.md"))
    # The default language first, so a reader never meets a translation whose original is missing.
    return sorted(files, key=lambda p: (p.parent.name != settings.LANGUAGE_CODE, str(p)))
