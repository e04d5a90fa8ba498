"""Dependencies point down only: customer_council -> forum -> support -> kb (accounts below all).

A module may import its own app and the apps below it, never one above: a lower layer that needs
something from a higher one means the shared piece belongs lower down.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

#: Each app and the project apps it must never import.
FORBIDDEN = {
    "accounts": {"kb", "support", "forum", "customer_council", "demo"},
    "kb": {"support", "forum", "customer_council", "demo"},
    "support": {"forum", "customer_council", "demo"},
    "forum": {"customer_council", "demo"},
    "customer_council": {"demo"},
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
