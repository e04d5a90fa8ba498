"""The ru, fa and he interface catalogues are complete, compiled, and keep every placeholder and tag.

The catalogues are read with a small .po parser (polib is not a dependency), so these tests need no
gettext tools; msgfmt's own format check runs too when gettext is installed.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ru", "fa", "he"]
RTL_LANGUAGES = {"fa", "he"}

#: Plural rules as Django's own catalogues give them, so our plurals agree with Django's.
PLURAL_FORMS = {
    "ru": (
        "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
        "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);"
    ),
    "fa": "nplurals=2; plural=(n > 1);",
    "he": (
        "nplurals=4; plural=(n == 1 && n % 1 == 0) ? 0 : (n == 2 && n % 1 == 0) ? 1: "
        "(n % 10 == 0 && n % 1 == 0 && n > 10) ? 2 : 3;"
    ),
}

#: What the help-center home must say for "Browse by topic" (templates/kb/help_center_page.html).
BROWSE_BY_TOPIC = {"ru": "Просмотр по темам", "fa": "مرور بر اساس موضوع", "he": "עיון לפי נושא"}

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # plural index (0 for a singular msgstr) -> text
    flags: set = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """Every active entry of a .po file, the header (empty msgid) first."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):  # obsolete entries are not compiled
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
        else:
            match = KEYWORD.match(line)
            assert match, f"{path}: cannot parse {raw!r}"
            key = match.group(1)
            _append(entry, key, ast.literal_eval(match.group(2)), start=True)
    return entries


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key.startswith("msgstr"):
        index = int(key[7:-1]) if key != "msgstr" else 0
        entry.msgstr[index] = ("" if start else entry.msgstr[index]) + text
    else:
        setattr(entry, key, ("" if start else getattr(entry, key)) + text)


def catalogue(language: str) -> tuple[dict, list[Entry]]:
    header, *messages = parse_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    assert header.msgid == "", f"{language}: the catalogue must start with its header"
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    return {"fields": fields, "flags": header.flags}, messages


def label(entry: Entry) -> str:
    return repr(entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}|{entry.msgid}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header(language):
    header, _messages = catalogue(language)

    assert "fuzzy" not in header["flags"], "a fuzzy header keeps the whole catalogue out of use"
    assert header["fields"]["Language"] == language
    assert header["fields"]["Content-Type"] == "text/plain; charset=UTF-8"
    assert "LANGUAGE" not in header["fields"]["Language-Team"]
    assert header["fields"]["Plural-Forms"] == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    header, messages = catalogue(language)
    nplurals = int(re.search(r"nplurals=(\d+)", header["fields"]["Plural-Forms"]).group(1))

    assert len(messages) > 100
    fuzzy = [label(entry) for entry in messages if "fuzzy" in entry.flags]
    empty = [label(entry) for entry in messages if not all(entry.msgstr.values())]
    wrong_plural_count = [
        label(entry) for entry in messages if entry.msgid_plural is not None and len(entry.msgstr) != nplurals
    ]
    assert fuzzy == []
    assert empty == []
    assert wrong_plural_count == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_tags(language):
    _header, messages = catalogue(language)

    problems = []
    for entry in messages:
        # Both English forms carry the same placeholders; every translated form must carry them all.
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        for index, text in entry.msgstr.items():
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"{label(entry)}[{index}] placeholders: {text!r}")
            if Counter(TAG.findall(text)) != Counter(TAG.findall(source)):
                problems.append(f"{label(entry)}[{index}] HTML tags: {text!r}")
            if text.count("\n") != source.count("\n"):
                problems.append(f"{label(entry)}[{index}] line breaks: {text!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po(language):
    """The .mo Django loads is compiled from the current .po (run `compilemessages` after editing)."""
    _header, messages = catalogue(language)
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = []
    for entry in messages:
        # gettext keys a message with a context as "context\x04msgid".
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled._catalog.get(key) != entry.msgstr[0]:
                stale.append(label(entry))
        else:
            for index, text in entry.msgstr.items():
                if compiled._catalog.get((key, index)) != text:
                    stale.append(f"{label(entry)}[{index}]")
    assert stale == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language):
    result = subprocess.run(  # noqa: S603 - a fixed command on our own file
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", "/dev/null", "django.po"],
        cwd=LOCALE_DIR / language / "LC_MESSAGES",
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C"},
    )

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.", result.stderr.strip()), result.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", {1: "1 статья", 3: "3 статьи", 5: "5 статей", 11: "11 статей", 21: "21 статья", 22: "22 статьи"}),
        ("fa", {1: "1 مقاله", 2: "2 مقاله", 7: "7 مقاله"}),
        ("he", {1: "מאמר 1", 2: "2 מאמרים", 3: "3 מאמרים", 20: "20 מאמרים"}),
    ],
)
def test_article_counts_use_the_language_plural_forms(language, expected):
    with translation.override(language):
        for n, text in expected.items():
            assert translation.ngettext("%(counter)s article", "%(counter)s articles", n) % {"counter": n} == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_center_home_is_translated(client, help_centers, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert BROWSE_BY_TOPIC[language] in html
    assert "Browse by topic" not in html
    if language in RTL_LANGUAGES:
        assert 'dir="rtl"' in html
    else:
        assert 'dir="ltr"' in html


def test_english_home_stays_english(client, help_centers):
    html = client.get("/en/").content.decode()

    assert "Browse by topic" in html
    assert 'dir="ltr"' in html


#: Paths never scanned for strings, and never copied for the scan.
NOT_SOURCE = (".venv", "data", ".git", "test-artifacts", "static_collected", "__pycache__", "*.sqlite3", "bench")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_the_catalogues_hold_every_string_of_the_source(tmp_path):
    """Extracting the strings again (as `make messages` does) finds nothing untranslated.

    Runs makemessages in a copy of the source, so the real catalogues are never rewritten by a
    test: a string added to a template or module without a translation fails here.
    """
    copy = tmp_path / "source"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATA_DIR": str(tmp_path / "data")}
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py on a copy of our source
        [sys.executable, "manage.py", "makemessages", *[f"-l{language}" for language in LANGUAGES], "--no-obsolete"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )

    missing = {}
    for language in LANGUAGES:
        messages = parse_po(copy / "locale" / language / "LC_MESSAGES" / "django.po")[1:]
        untranslated = [label(entry) for entry in messages if "fuzzy" in entry.flags or not all(entry.msgstr.values())]
        if untranslated:
            missing[language] = untranslated
    assert missing == {}, "run `make messages` and translate the new strings"
