"""The NPS and CSAT arithmetic against hand-computed fixtures."""

import pytest

from customer_voice.nps import CsatFigures, NpsFigures


def test_the_worked_example_scores_30_plus_or_minus_15_3():
    figures = NpsFigures(n=100, promoters=50, passives=30, detractors=20)

    assert figures.score == pytest.approx(30.0)
    # SE = sqrt((0.5 + 0.2 - 0.3**2) / 100) = sqrt(0.0061) = 0.07810
    assert figures.standard_error == pytest.approx(0.078102, abs=1e-6)
    assert figures.margin_of_error == pytest.approx(15.308, abs=1e-3)


def test_a_negative_score_has_the_same_margin_as_its_mirror():
    mirror = NpsFigures(n=100, promoters=20, passives=30, detractors=50)

    assert mirror.score == pytest.approx(-30.0)
    assert mirror.margin_of_error == pytest.approx(15.308, abs=1e-3)


def test_a_second_fixture_computed_by_hand():
    # n=400, P=180, Pa=120, D=100: p_P=0.45, p_D=0.25, NPS=20,
    # SE = sqrt((0.45 + 0.25 - 0.04) / 400) = sqrt(0.00165) = 0.040620, MOE = 7.96
    figures = NpsFigures(n=400, promoters=180, passives=120, detractors=100)

    assert figures.score == pytest.approx(20.0)
    assert figures.margin_of_error == pytest.approx(7.9616, abs=1e-3)


def test_all_promoters_score_100_with_no_margin():
    figures = NpsFigures(n=40, promoters=40, passives=0, detractors=0)

    assert figures.score == 100
    assert figures.margin_of_error == 0


def test_all_passives_score_0_with_no_margin():
    figures = NpsFigures(n=40, promoters=0, passives=40, detractors=0)

    assert figures.score == 0
    assert figures.margin_of_error == 0


def test_half_promoters_half_detractors_has_the_widest_margin():
    # p_P = p_D = 0.5: SE = sqrt(1 / n) = 0.1 for n = 100, MOE = 19.6
    figures = NpsFigures(n=100, promoters=50, passives=0, detractors=50)

    assert figures.score == 0
    assert figures.margin_of_error == pytest.approx(19.6)


def test_no_answers_have_no_score_and_no_margin():
    figures = NpsFigures.empty()

    assert figures.score is None
    assert figures.margin_of_error is None
    assert figures.promoter_share is None
    assert not figures.enough


def test_below_the_minimum_is_not_enough(settings):
    settings.VOICE_MIN_ANSWERS = 30

    assert not NpsFigures(n=29, promoters=29, passives=0, detractors=0).enough
    assert NpsFigures(n=30, promoters=30, passives=0, detractors=0).enough


def test_figures_add_up_group_by_group():
    total = NpsFigures(10, 5, 3, 2) + NpsFigures(90, 45, 27, 18)

    assert total == NpsFigures(100, 50, 30, 20)


@pytest.mark.parametrize(
    "counts", [(10, 5, 3, 1), (10, -1, 6, 5), (-1, 0, 0, 0)], ids=["does-not-add-up", "negative", "negative-n"]
)
def test_impossible_counts_are_refused(counts):
    with pytest.raises(ValueError):
        NpsFigures(*counts)


def test_csat_is_the_share_of_good_answers_with_a_binomial_margin():
    # p = 0.8, n = 100: SE = sqrt(0.8 * 0.2 / 100) = 0.04, MOE = 7.84
    figures = CsatFigures(n=100, good=80)

    assert figures.score == pytest.approx(80.0)
    assert figures.margin_of_error == pytest.approx(7.84)
    assert figures.bad == 20


def test_csat_without_answers_has_no_score():
    assert CsatFigures.empty().score is None
    with pytest.raises(ValueError):
        CsatFigures(n=3, good=4)
