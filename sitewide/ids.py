"""Ids typed into URLs and forms: decimal digits that fit a database integer, or nothing."""

#: The largest primary key a 64-bit database column holds; larger numbers are no id at all.
MAX_ID = 2**63 - 1


def parse_id(value, *, maximum: int = MAX_ID) -> int | None:
    """``value`` as a positive integer id, or None for anything else ("", "-1", "١٢", "9" * 40)."""
    text = str(value if value is not None else "")
    # isascii: str.isdecimal() also accepts Arabic-Indic and other digits int() would read.
    if not text or len(text) > 19 or not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= maximum else None
