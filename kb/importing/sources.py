"""Article files: their format, reading and validating one, and finding them in a tree.

See kb.importing for the format and what an import does with it.
"""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.text import slugify

from kb.markdown_blocks import MarkdownRefused, markdown_to_blocks

#: Namespace for the deterministic translation keys derived from the files' own keys.
TRANSLATION_KEY_NAMESPACE = uuid.UUID("6f1d3c52-7f0e-4c38-9d8e-2b9f5d4f3a10")
HOME_KEY = uuid.uuid5(TRANSLATION_KEY_NAMESPACE, "help-center-home")
MAX_FILE_BYTES = 1_000_000
MAX_TITLE_LENGTH = 255
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)


class ImportFileError(Exception):
    """A file that cannot be imported; the message names the problem in one line."""


@dataclass
class ArticleSource:
    path: Path | None
    title: str
    slug: str
    locale: str
    translation_key: str
    summary: str
    category: str
    category_title: str
    tags: list[str] = field(default_factory=list)
    #: StreamField blocks: ``{"type", "value"}`` dicts (links not resolved yet), or (type, value) pairs.
    body: list = field(default_factory=list)
    #: What the HTML allow-list removed from the body ("<script>" -> 1, …), for the report.
    removed: dict = field(default_factory=dict)


def translation_key_for(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(TRANSLATION_KEY_NAMESPACE, f"{kind}:{key}")


def clean_field(value, *, name: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)):
        raise ImportFileError(f"'{name}' must be text")
    text = str(value).strip()
    if required and not text:
        raise ImportFileError(f"no {name}")
    if len(text) > max_length:
        raise ImportFileError(f"'{name}' is longer than {max_length} characters")
    return text


def parse_article_file(path: Path) -> ArticleSource:
    """Read and validate one file; raises ImportFileError with a one-line reason."""
    # Check the size before reading, so a huge file is refused without loading it into memory.
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(f"file is larger than {MAX_FILE_BYTES} bytes")
    raw = path.read_bytes()
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ImportFileError(f"contains NUL bytes (the first at byte {nul}): not a text file")
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

    title = clean_field(meta.get("title"), name="title", max_length=MAX_TITLE_LENGTH, required=True)
    locale = clean_field(meta.get("locale"), name="locale", max_length=16, required=True).lower()
    if locale not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ImportFileError(f"unknown locale '{locale}' (known: {known})")
    slug = slugify(clean_field(meta.get("slug"), name="slug", max_length=200) or path.stem, allow_unicode=True)
    if not slug:
        raise ImportFileError("no usable slug")
    # Fall back after slugifying: a category of punctuation only slugifies to "".
    category = slugify(clean_field(meta.get("category"), name="category", max_length=100)) or "general"
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        raise ImportFileError("'tags' must be a list")
    try:
        body = markdown_to_blocks(match.group(2), language=locale)
    except MarkdownRefused as error:
        raise ImportFileError(str(error)) from None
    return ArticleSource(
        path=path,
        title=title,
        slug=slug,
        locale=locale,
        translation_key=clean_field(meta.get("translation_key"), name="translation_key", max_length=200) or slug,
        summary=clean_field(meta.get("summary"), name="summary", max_length=300),
        category=category,
        category_title=clean_field(meta.get("category_title"), name="category_title", max_length=255)
        or category.replace("-", " ").capitalize(),
        tags=[tag for tag in (clean_field(tag, name="tag", max_length=100) for tag in tags) if tag],
        body=body.blocks,
        removed=dict(body.removed),
    )


def find_article_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(path.rglob("*.md"))
    # The default language first, so a reader never meets a translation whose original is missing.
    return sorted(files, key=lambda p: (p.parent.name != settings.LANGUAGE_CODE, str(p)))
