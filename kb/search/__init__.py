"""The search service: the only way the site searches (see kb.search.service)."""
