"""How the search page names a result type that a higher app adds ("story"), without kb knowing it.

kb's own types and the forum's and council's are named in templates/kb/search_page.html; an app
added since registers its type's label here (in its AppConfig.ready), and the page shows it in
the "Type" facet and beside each hit of that type.
"""

#: result type (the index's ``content_type``) -> its label (a lazy translation).
_labels: dict = {}


def register_result_type(result_type: str, label) -> None:
    _labels[result_type] = label


def result_type_label(result_type: str) -> str:
    """The registered label of ``result_type`` in the active language, or "" for an unknown type."""
    label = _labels.get(result_type)
    return str(label) if label is not None else ""
