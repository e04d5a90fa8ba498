"""Numbers in the digits the reader's language writes them with.

Persian readers expect Persian digits (۰۱۲۳۴۵۶۷۸۹) in dates and counts; Hebrew and Russian write
Western digits. Django's formats know separators and date orders, not digits, so the mapping is
here, once, and templates reach it through the ``local_digits`` filter (sitewide.templatetags.bidi).
Only text the site writes goes through it (dates, relative times, counts), never what people
wrote, nor URLs, ids or machine-readable attributes such as ``datetime="..."``.
"""

import re

from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

#: The digits 0 to 9 of each language that does not write Western ones.
NATIVE_DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹"}
#: Separators between native digits: Persian groups thousands with U+066C and marks decimals
#: with U+066B; a comma or full stop between Persian digits reads as a foreign mark.
NATIVE_SEPARATORS = {"fa": {",": "\u066c", ".": "\u066b"}}

_SEPARATOR_BETWEEN_DIGITS = re.compile(r"(?<=\d)[,.](?=\d)")


def native_digits_of(language: str | None) -> str | None:
    """The digits `language` (a code such as "fa" or "fa-ir") writes, or None for Western ones."""
    return NATIVE_DIGITS.get((language or "").split("-")[0].lower())


def local_digits(text: str, language: str | None = None) -> str:
    """`text` with its Western digits (and the separators between them) written in the digits of
    `language`, by default the active one; unchanged for a language that writes Western digits.
    Safe text stays safe: no character that means something in HTML is added."""
    language = (language or translation.get_language() or "").split("-")[0].lower()
    digits = NATIVE_DIGITS.get(language)
    if not digits:
        return text
    separators = NATIVE_SEPARATORS.get(language, {})
    converted = _SEPARATOR_BETWEEN_DIGITS.sub(lambda match: separators.get(match.group(0), match.group(0)), str(text))
    converted = converted.translate(str.maketrans("0123456789", digits))
    return mark_safe(converted) if isinstance(text, SafeData) else converted  # noqa: S308 (digits only)


class LocalNumber(int):
    """An integer that prints in the digits of a language and is still a number, so
    ``{% blocktranslate count counter=n|local_digits %}`` chooses the plural form by its value."""

    language: str

    def __new__(cls, value: int, language: str):
        number = super().__new__(cls, value)
        number.language = language
        return number

    def __str__(self) -> str:
        return local_digits(int.__str__(self), self.language)


def local_number(value, language: str | None = None):
    """`value` (text or an integer) for display in `language`, by default the active one: text
    gets local digits, an integer becomes a :class:`LocalNumber`; anything else is unchanged."""
    language = language or translation.get_language()
    if not native_digits_of(language) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return LocalNumber(value, language)
    if isinstance(value, str):
        return local_digits(value, language)
    return value
