"""Cleaning what customers type: invisible characters that could disguise text are removed."""

import re

#: Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters). The marks
#: LRM/RLM/ALM and the zero-width (non-)joiner stay: Persian and Hebrew text needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: C0/C1 control characters except tab and newline (NUL is refused by the form, not stripped).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]")


def has_line_break(text: str) -> bool:
    return bool(LINE_BREAKS.search(text or ""))


def clean_text(text: str) -> str:
    """Text with Windows/Mac line ends made "\\n" and bidi/control characters removed."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = BIDI_CONTROLS.sub("", text)
    return CONTROL_CHARACTERS.sub("", text)
