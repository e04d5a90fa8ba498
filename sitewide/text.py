"""Cleaning what people type: invisible characters that could disguise text are removed.

One copy for every form, post, query and import: the contact form, votes' comments, ticket
replies, forum titles and bodies, display names and search queries all clean text here.
"""

import re

#: Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters): invisible,
#: yet they reorder the text around them, so a name holding U+202E can make the rest of a line
#: read backwards ("moc.evil" shown as "live.com"). The marks
#: LRM/RLM/ALM and the zero-width (non-)joiner stay: Persian and Hebrew text needs them.
BIDI_CONTROL_CHARACTERS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROL_CHARACTERS}]")
#: C0/C1 control characters except tab and newline (NUL is refused by forms, see has_nul).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]")


def has_line_break(text: str) -> bool:
    return bool(LINE_BREAKS.search(text or ""))


def has_nul(text: str) -> bool:
    return "\x00" in str(text or "")


def clean_text(text: str) -> str:
    """Text with Windows/Mac line ends made "\\n" and bidi/control characters removed (NUL kept:
    a form refuses it with a message, see :func:`has_nul`)."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", BIDI_CONTROLS.sub("", text))


def clean_line(text: str) -> str:
    """One line of text (a title, a name, a query): cleaned and NUL removed, line breaks and runs
    of white space made one space, no space at either end."""
    return " ".join(clean_text(str(text or "").replace("\x00", "")).split())
