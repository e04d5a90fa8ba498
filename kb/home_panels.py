"""Panels that higher apps add to the help-center home, without kb importing them.

An app registers a template and a function ``(home, reader) -> dict | None`` in its
AppConfig.ready; the home renders each panel whose function returns a context (None: nothing to
show), in the order given. The function runs for every view of the home, so it must cost a fixed
number of queries and list only what the reader may open (kb.visibility).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    #: The template included on the home, given the function's dict as ``panel``.
    template: str
    #: ``(home, reader) -> dict | None``.
    context: Callable
    #: Lower first.
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register_home_panel(template: str, context: Callable, *, order: int = 100) -> None:
    """Add a panel (registering the same template again replaces it, so ``ready`` may run twice)."""
    _panels[template] = HomePanel(template, context, order)


def home_panels(home, reader) -> list[dict]:
    """The panels to show on ``home`` for ``reader``: ``{"template", "context"}``, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.template)):
        context = panel.context(home, reader)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
