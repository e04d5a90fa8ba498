"""Dependencies point down only: customer_council -> customer_voice -> forum -> support -> kb ->
accounts -> sitewide, and stories above forum, support and kb, beside the council (neither of the
two imports the other). customer_voice (surveys, referrals, digests, the customer timeline) reaches
the council and stories only through Wagtail hooks and URL names they register.

A module may import its own app and the apps below it, never one above: a lower layer that needs
something from a higher one means the shared piece belongs lower down.

``sitewide`` is the floor: who is asking (the Reader and its middleware), the visitor cookie,
rate limits, bot detection, ids from URLs, text cleaning, safe redirects, spreadsheet-safe exports
and percentages, and ActionRefused. It imports none of the project's apps, and each of those
pieces exists there once: no other app defines its own copy.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

#: Each app and the project apps it must never import.
FORBIDDEN = {
    "sitewide": {"accounts", "kb", "support", "forum", "customer_voice", "customer_council", "stories", "demo"},
    "accounts": {"kb", "support", "forum", "customer_voice", "customer_council", "stories", "demo"},
    "kb": {"support", "forum", "customer_voice", "customer_council", "stories", "demo"},
    "support": {"forum", "customer_voice", "customer_council", "stories", "demo"},
    "forum": {"customer_voice", "customer_council", "stories", "demo"},
    "customer_voice": {"customer_council", "stories", "demo"},
    "customer_council": {"stories", "demo"},
    "stories": {"customer_council", "customer_voice", "demo"},
}


def imported_top_level_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def string_references(path: Path) -> set[str]:
    """App labels named in strings like "support.Ticket" (foreign keys, parent_page_types)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    labels = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            head = node.value.split(".")[0]
            if head.isidentifier() and node.value.count(".") == 1 and node.value.split(".")[1][:1].isupper():
                labels.add(head)
    return labels


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_never_depends_on_a_layer_above_it(app):
    offenders = []
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        reached = (imported_top_level_packages(path) | string_references(path)) & FORBIDDEN[app]
        if reached:
            offenders.append(f"{path.relative_to(settings.BASE_DIR)} -> {', '.join(sorted(reached))}")
    assert offenders == []


#: Names that belong to the floor (sitewide): no other app may define its own.
FLOOR_NAMES = {
    "ActionRefused",
    "BIDI_CONTROLS",
    "BOT_USER_AGENT",
    "CONTROL_CHARACTERS",
    "FORMULA_PREFIXES",
    "MAX_ID",
    "NATIVE_DIGITS",
    "VISITOR_COOKIE",
    "client_key",
    "clean_text",
    "is_local_path",
    "is_probably_bot",
    "parse_day",
    "local_digits",
    "percentage",
    "rate_limited",
    "spreadsheet_safe",
    "take_attempt",
    "with_auto_direction",
}
PROJECT_APPS = ("accounts", "kb", "support", "forum", "customer_council", "stories", "demo", "config")


def defined_names(path: Path) -> set[str]:
    """Module-level functions, classes and constants a module defines (not what it imports)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_the_floor_has_the_only_copy_of_each_site_wide_piece(app):
    copies = []
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        found = defined_names(path) & FLOOR_NAMES
        if found:
            copies.append(f"{path.relative_to(settings.BASE_DIR)}: {', '.join(sorted(found))}")
    assert copies == [], "import these from sitewide instead"


def test_the_floor_defines_every_piece_it_is_said_to_hold():
    floor = set()
    for path in (Path(settings.BASE_DIR) / "sitewide").rglob("*.py"):
        floor |= defined_names(path)
    assert FLOOR_NAMES - floor <= {"is_probably_bot"}, "a floor piece moved or was renamed: update FLOOR_NAMES"
