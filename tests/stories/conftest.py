import pytest

from stories.sections import ensure_story_indexes


@pytest.fixture
def story_indexes(help_centers):
    """Every language's story index, keyed by language code."""
    return {index.locale.language_code: index for index in ensure_story_indexes()}
