"""The customer snippet, the story index per language and the story blocks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kb.models import HelpCenterPage
from stories.blocks import PullQuoteBlock, ResultFigureBlock
from stories.models import StoryIndexPage
from stories.sections import ensure_story_indexes
from tests.factories.stories import make_customer, make_story

pytestmark = pytest.mark.django_db


def test_a_customer_without_its_name_is_described_by_industry_and_region():
    customer = make_customer("Acme Freight", industry="logistics", region="europe")

    assert customer.anonymous_description == "a logistics company in Europe"


def test_every_language_has_one_story_index_and_making_them_again_changes_nothing(help_centers):
    first = ensure_story_indexes()
    again = ensure_story_indexes()

    assert [index.pk for index in first] == [index.pk for index in again]
    assert StoryIndexPage.objects.count() == len(help_centers)
    for index in first:
        assert index.live
        assert index.get_parent().specific_class is HelpCenterPage
        assert index.url == f"/{index.locale.language_code}/stories/"
    assert len({index.translation_key for index in first}) == 1


def test_a_big_number_figure_shows_the_value_after_with_its_unit_and_period():
    block = ResultFigureBlock()
    value = block.to_python(
        {"label": "Tickets answered by articles", "before": None, "after": "40", "unit": "%", "period": "in 2025"}
    )

    html = block.render(value)

    assert "story-figure-number" in html
    assert "40" in html and "%" in html and "in 2025" in html
    assert "<svg" not in html


def test_a_chart_figure_draws_bars_in_proportion_and_says_the_values_in_words():
    block = ResultFigureBlock()
    value = block.to_python(
        {"label": "Time to first reply", "before": "12", "after": "3", "unit": "h", "period": "", "display": "chart"}
    )

    html = block.render(value)

    assert 'class="bar-before" x="0" y="2" width="100.0"' in html
    assert 'class="bar-after" x="0" y="20" width="25.0"' in html
    assert 'aria-hidden="true"' in html
    assert "Before" in html and "12" in html and "After" in html


def test_a_chart_figure_is_drawn_with_dots_whatever_the_language():
    block = ResultFigureBlock()
    value = block.to_python({"label": "Reply time", "before": "4", "after": "3", "unit": "h", "display": "chart"})

    with translation.override("ru"):
        html = block.render(value)

    assert 'width="75.0"' in html


def test_a_chart_needs_the_value_before():
    block = ResultFigureBlock()

    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "Reply time", "after": "3", "display": "chart"}))


def test_a_pull_quote_shows_the_person_and_role():
    block = PullQuoteBlock()

    html = block.render(block.to_python({"quote": "It just works.", "person": "Dana Levi", "role": "Head of Support"}))

    assert "It just works." in html and "Dana Levi" in html and "Head of Support" in html


def test_every_block_has_a_preview_and_a_description():
    for block in (ResultFigureBlock(), PullQuoteBlock()):
        assert block.meta.preview_value and block.meta.description and block.meta.icon and block.meta.template


def test_each_quote_of_a_story_keeps_a_stable_id_across_revisions(story_indexes):
    story = make_story(quotes=[("quote", {"quote": "Great.", "person": "Ana", "role": "CTO"})])
    quote_id = story.quotes[0].id

    story.headline = "A new headline"
    story.save_revision().publish()

    story.refresh_from_db()
    assert quote_id and story.shown_quotes()[0].id == quote_id


def test_a_figure_keeps_its_decimal_values(story_indexes):
    story = make_story(figures=[("figure", {"label": "Cost", "before": Decimal("10.5"), "after": Decimal("7")})])

    assert story.figures[0].value["before"] == Decimal("10.5")
