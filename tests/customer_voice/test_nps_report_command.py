"""``manage.py nps_report`` prints the score, sample size, categories and margin of error, overall,
per month and per segment, and refuses bad dates with a clear message."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.customer_voice.test_nps_report_service import a_mix

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("nps_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def march_answers(settings):
    settings.VOICE_MIN_ANSWERS = 30
    a_mix(promoters=50, passives=30, detractors=20, day="2026-03-10", language="ru", plan="team")
    a_mix(promoters=2, passives=0, detractors=1, day="2026-02-10", language="he")


def test_json_has_the_figures_overall_per_month_and_per_segment(march_answers):
    report = json.loads(run("--since", "2026-03-01", "--until", "2026-03-31", "--format", "json"))

    assert report["overall"] == {
        "n": 100,
        "enough": True,
        "score": 30.0,
        "margin_of_error": 15.3,
        "promoters": 50,
        "passives": 30,
        "detractors": 20,
        "promoters_pct": 50.0,
        "passives_pct": 30.0,
        "detractors_pct": 20.0,
    }
    assert [month["month"] for month in report["months"]] == ["2026-03"]
    assert report["segments"]["plan"][0]["label"] == "Team"
    assert report["segments"]["language"][0]["score"] == 30.0


def test_a_small_segment_has_no_score_in_json(march_answers):
    report = json.loads(run("--since", "2026-02-01", "--until", "2026-03-31", "--format", "json"))

    february = report["months"][0]
    assert (february["n"], february["enough"], february["score"]) == (3, False, None)
    assert february["detractors"] == 1


def test_text_says_the_score_and_too_few_answers(march_answers):
    text = run("--since", "2026-02-01", "--until", "2026-03-31", "--format", "text")

    assert "Overall: too few answers" not in text
    assert "Overall: NPS 30.1 ± " in text  # 100 · (52 − 21) / 103
    assert "2026-02  too few answers (n=3)" in text
    assert "2026-03  NPS 30.0 ± 15.3 (n=100; 50 promoters, 30 passives, 20 detractors)" in text
    assert "Plan" in text


def test_csat_can_be_asked_for(march_answers):
    report = json.loads(run("--since", "2026-03-01", "--until", "2026-03-31", "--format", "json", "--kind", "csat"))

    assert report["kind"] == "csat"
    assert report["overall"]["n"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--since", "2026-13-01"),
        ("--since", "yesterday"),
        ("--since", "2026-03-01", "--until", "2026-02-30"),
        ("--since", "2026-03-02", "--until", "2026-03-01"),
        ("--since", "1990-01-01", "--until", "2026-03-01"),
        ("--since", "2026-03-01", "--until", "9999-12-31"),
        ("--since", "2026-03-01", "--format", "xml"),
        ("--since", "2026-03-01", "--kind", "ces"),
    ],
)
def test_bad_input_is_a_clear_command_error(args):
    with pytest.raises(CommandError):
        run(*args)
