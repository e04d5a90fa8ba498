"""Values written into reports and spreadsheets."""

#: Spreadsheet apps run a cell that starts with one of these as a formula; much of it is user input.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A user-typed value that a spreadsheet shows as text, never runs as a formula."""
    value = str(value or "")
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def percentage(rate) -> str:
    """A rate as a percentage with at most one decimal: 0.5 → "50%"; no rate (nothing to divide) → "–"."""
    return "–" if rate is None else f"{round(rate * 100, 1):g}%"
