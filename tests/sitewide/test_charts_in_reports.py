"""The admin reports draw sitewide's chart: axis titles, a <title> on every mark, key figures as
cards and a data table with a row per period, in a left-to-right and a right-to-left admin."""

from datetime import timedelta

import html5lib
import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.customer_voice.test_nps_report_service import a_mix
from tests.html_checks import SVG
from tests.support.admin_helpers import DEFLECTION, an_agent
from tests.support.test_reports import contact_visit

pytestmark = pytest.mark.django_db

NPS = "/admin/customer-voice/reports/nps/"


def logged_in(client, language):
    user = an_agent()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def figure_of(page: str, marker: str):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parse(page)
    [figure] = [element for element in root.iter("figure") if f"data-{marker}" in element.attrib]
    [table] = [element for element in root.iter("table") if f"data-{marker}-data" in element.attrib]
    return root, figure, table


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_nps_trend_is_a_readable_chart(client, settings, language):
    settings.VOICE_MIN_ANSWERS = 5
    a_mix(promoters=6, passives=2, detractors=2, day=timezone.localdate().isoformat())

    response = logged_in(client, language).get(NPS)

    page = response.content.decode()
    root, figure, table = figure_of(page, "voice-chart")
    svg = figure.find(f".//{{{SVG}}}svg")
    axes = {element.get("data-chart-axis"): text_of(element) for element in svg.iter(f"{{{SVG}}}text")}
    assert axes.get("x") and axes.get("y") and None in axes  # both titles, and the tick labels
    marks = [element for element in svg.iter(f"{{{SVG}}}g") if "data-chart-mark" in element.attrib]
    assert len(marks) == 12  # twelve months, the eleven without answers as "–"
    assert all(mark.get("tabindex") == "0" and text_of(mark.find(f"{{{SVG}}}title")) for mark in marks)
    assert len([mark for mark in marks if mark.find(f".//{{{SVG}}}path[@data-chart-error]") is not None]) == 1
    assert len(table.find("tbody").findall("tr")) == 12
    assert [th.get("scope") for th in table.find("thead").iter("th")] == ["col"] * 3
    cards = [element for element in root.iter("dl") if "data-voice-key-figures" in element.attrib]
    assert cards and cards[0].get("class") == "key-figures"
    assert "scaleX" not in page


@pytest.mark.parametrize("language, rtl", [("en", False), ("fa", True)])
def test_the_deflection_trend_runs_from_the_start_side_with_a_row_per_day(client, language, rtl):
    contact_visit("today")
    contact_visit("last-week", at=timezone.now() - timedelta(days=7))

    response = logged_in(client, language).get(DEFLECTION, {"bucket": "day"})

    layout = response.context["chart"]
    assert layout.rtl is rtl
    xs = [float(period.x) for period in layout.periods]
    assert xs == sorted(xs, reverse=rtl)
    page = response.content.decode()
    _root, figure, table = figure_of(page, "support-chart")
    assert len(table.find("tbody").findall("tr")) == len(layout.periods) >= 2
    svg = figure.find(f".//{{{SVG}}}svg")
    marks = [element for element in svg.iter(f"{{{SVG}}}g") if "data-chart-mark" in element.attrib]
    assert len(marks) == len([rate for rate in layout.series[0].marks if rate.value is not None]) >= 2
    assert text_of(figure.find("figcaption")) == str(layout.title)
    assert "data-support-summary" in page and 'class="key-figures"' in page
