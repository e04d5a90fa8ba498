"""The chart builder (sitewide.charts): round ticks, scaling, empty and tiny data, negative
values, right-to-left order, and labels that stay text."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sitewide.charts import OKABE_ITO, PATTERNS, Series, chart, nice_ticks
from tests.html_checks import html_problems


def a_chart(values, **options):
    options.setdefault("periods", [f"P{index}" for index in range(len(values))])
    return chart(
        id="test-chart",
        title="Test",
        series=[Series("Visits", values)],
        x_title="Month",
        y_title="Visits",
        **options,
    )


def test_ticks_are_round_numbers_that_cover_the_values():
    assert nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(-35, 62) == [-40, -20, 0, 20, 40, 60, 80]
    assert nice_ticks(0, 0.42) == [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert nice_ticks(0, 1250) == [0, 250, 500, 750, 1000, 1250]


def test_equal_low_and_high_still_give_an_axis():
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert len(nice_ticks(7, 7)) >= 2


def test_bars_are_scaled_to_the_axis_from_zero():
    layout = a_chart([50, 100])

    half, full = layout.series[0].marks
    assert float(full.height) == pytest.approx(2 * float(half.height))
    assert float(full.y) + float(full.height) == pytest.approx(float(layout.plot_bottom))
    assert [tick.label for tick in layout.ticks] == ["0", "20", "40", "60", "80", "100"]


def test_no_periods_give_no_chart():
    assert a_chart([]) is None


def test_one_point_or_only_zeros_still_draw_an_axis():
    one = a_chart([3])
    zeros = a_chart([0, 0])

    assert len(one.series[0].marks) == 1 and len(one.ticks) >= 2
    assert len(zeros.ticks) >= 2 and all(float(mark.height) == 0 for mark in zeros.series[0].marks)


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        a_chart([1, 2], periods=["only one"])


def test_negative_scores_with_margins_stay_inside_the_limits():
    layout = chart(
        id="nps",
        kind="line",
        title="NPS",
        periods=["Jan", "Feb", "Mar"],
        series=[Series("Score", [-80, None, 30], margins=[40, None, 10], texts=[None, "Too few answers (n=3)", None])],
        x_title="Month",
        y_title="Score",
        y_range=(0, 0),
        y_limits=(-100, 100),
    )

    values = [tick.value for tick in layout.ticks]
    assert values[0] == -100 and 0 in values and values[-1] <= 100
    low, missing, high = layout.series[0].marks
    assert low.error is not None and float(low.error["lower"]) <= float(layout.plot_bottom)
    assert float(low.cy) > float(high.cy)  # −80 is drawn below 30
    assert missing.missing and "Too few answers (n=3)" in missing.text
    assert layout.rows[1][1] == ["Too few answers (n=3)"]


def test_negative_bars_hang_below_zero():
    layout = a_chart([-20, 40])

    below, above = layout.series[0].marks
    zero = next(tick for tick in layout.ticks if tick.zero)
    assert float(below.y) == pytest.approx(float(zero.y))
    assert float(above.y) + float(above.height) == pytest.approx(float(zero.y))


def test_in_a_right_to_left_admin_time_runs_from_the_right_and_the_axis_is_on_the_right():
    ltr, rtl = a_chart([1, 2, 3]), a_chart([1, 2, 3], rtl=True)

    assert [float(period.x) for period in ltr.periods] == sorted(float(period.x) for period in ltr.periods)
    assert [float(period.x) for period in rtl.periods] == sorted((float(p.x) for p in rtl.periods), reverse=True)
    assert float(rtl.y_axis_x) > float(ltr.y_axis_x)
    assert rtl.tick_anchor == "start" and ltr.tick_anchor == "end"
    with translation.override("he"):
        html = render_to_string("sitewide/charts/chart.html", {"chart": rtl})
    assert "scaleX" not in html and 'style="direction: ltr;"' in html


def test_crowded_period_labels_are_thinned_but_all_are_in_the_table():
    layout = a_chart(list(range(60)), periods=[f"2026-01-{day:02}" for day in range(60)])

    shown = [period for period in layout.periods if period.shown]
    assert 1 < len(shown) < 30
    assert len(layout.rows) == 60


def test_each_series_differs_by_colour_and_by_a_second_cue():
    layout = chart(
        id="many",
        kind="stacked",
        title="Sources",
        periods=["Jan"],
        series=[Series(f"S{index}", [1]) for index in range(4)],
        x_title="Month",
        y_title="Sign-ups",
    )

    assert [series.colour for series in layout.series] == list(OKABE_ITO[:4])
    assert [series.pattern for series in layout.series] == list(PATTERNS[:4])
    assert layout.legend


def test_tick_labels_are_written_as_the_reader_writes_numbers():
    with translation.override("fa"):
        layout = a_chart([1200.5, 300], decimals=1)
    assert layout.ticks[-1].label == "۱۲۵۰"
    assert layout.rows[0][1] == ["۱۲۰۰٫۵"]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_labels_are_escaped_and_the_markup_is_valid(language):
    hostile = '<script>alert("x")</script>'
    layout = chart(
        id="hostile",
        title=hostile,
        periods=[hostile, "B"],
        series=[Series(hostile, [1, 2]), Series("Other", [2, 1])],
        x_title=hostile,
        y_title=hostile,
    )

    with translation.override(language):
        html = render_to_string("sitewide/charts/chart.html", {"chart": layout, "marker": "hostile"})

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html_problems(html, fragment=True) == []


def test_counts_get_whole_ticks_and_one_bar_stays_a_bar():
    """A chart of counts never labels 0.2 of a view, and one period's bar is not a slab across
    the plot (seen on the stories report with one story)."""
    assert nice_ticks(0, 1, whole=True) == [0, 1]
    assert nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 87, whole=True) == [0, 20, 40, 60, 80, 100]
    layout = a_chart([1], periods=["Acme halves its tickets"])
    assert [tick.label for tick in layout.ticks] == ["0", "1"]
    (mark,) = layout.series[0].marks
    assert float(mark.width) <= 72
    percentages = a_chart([0.4, 0.9], decimals=1, unit="%")
    assert any("." in tick.label for tick in percentages.ticks), "fractions stay where values have decimals"
