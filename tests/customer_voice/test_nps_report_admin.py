"""The "Net Promoter Score" and "Survey comments" admin reports: open to those who may view survey
answers, honest about small samples, escaped and spreadsheet-safe."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from customer_voice.models.surveys import SurveyKind
from tests.customer_voice.test_nps_report_service import a_mix, give_answers
from tests.factories import UserFactory
from tests.support.admin_helpers import XHR, an_agent, an_editor

pytestmark = pytest.mark.django_db

NPS = "/admin/customer-voice/reports/nps/"
COMMENTS = "/admin/customer-voice/reports/comments/"
REPORTS = [NPS, COMMENTS]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
#: A page of comments costs the same whatever the number of rows (measured: session, user,
#: permissions, the admin chrome, count and page).
COMMENT_PAGE_MAX_QUERIES = 30


def this_month() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_support_agent_sees_the_score_with_its_margin_and_sample_size(agent, settings):
    settings.VOICE_MIN_ANSWERS = 30
    a_mix(promoters=50, passives=30, detractors=20, day=this_month())

    page = agent.get(NPS).content.decode()

    assert "30 ± 15.3" in page
    assert "data-voice-chart" in page
    assert "<title>" in page


def test_too_few_answers_say_so_instead_of_a_number(agent, settings):
    settings.VOICE_MIN_ANSWERS = 30
    a_mix(promoters=12, passives=0, detractors=0, day=this_month())

    page = agent.get(NPS).content.decode()

    assert "Too few answers (n=12)" in page
    assert "100 ±" not in page


def test_the_report_defaults_to_the_last_twelve_months(agent):
    response = agent.get(NPS)

    report = response.context["report"]
    assert report.until == timezone.localdate()
    assert len(report.months) == 12


def test_the_csat_figures_are_reported_on_their_own(agent, settings):
    settings.VOICE_MIN_ANSWERS = 3
    give_answers(3, 1, kind=SurveyKind.CSAT, day=this_month())
    give_answers(1, 0, kind=SurveyKind.CSAT, day=this_month())

    page = agent.get(NPS, {"kind": "csat"}).content.decode()

    assert "75% ±" in page


def test_a_right_to_left_admin_mirrors_the_chart(client, settings):
    settings.VOICE_MIN_ANSWERS = 1
    user = an_agent()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "he"
    profile.save()
    client.force_login(user)
    a_mix(promoters=3, passives=0, detractors=0, day=this_month())

    chart = client.get(NPS).context["chart"]

    months = chart.series[0].marks
    assert float(months[-1].cx) < float(months[0].cx)
    assert float(chart.y_axis_x) > chart.width / 2


def test_the_export_has_the_figures_per_segment_and_safe_cells(agent, settings):
    settings.VOICE_MIN_ANSWERS = 30
    a_mix(promoters=50, passives=30, detractors=20, day=this_month(), plan="team")

    rows = csv_rows(agent.get(NPS, {"export": "csv"}))

    overall = rows[1]
    assert overall[:6] == ["Overall", "All answers", "100", "50", "30", "20"]
    assert overall[7:9] == ["30.0", "15.3"]
    assert any(row[0] == "Plan" and row[1] == "Team" for row in rows)


def test_the_xlsx_exports_open(agent):
    a_mix(promoters=1, passives=0, detractors=0, day=this_month(), comment="=1+1")

    assert agent.get(NPS, {"export": "xlsx"}).status_code == 200
    assert agent.get(COMMENTS, {"export": "xlsx"}).status_code == 200


def test_a_comment_links_to_the_customer_timeline(agent):
    customer = UserFactory()
    give_answers(1, 2, day=this_month(), comment="Call me", user=customer)

    page = agent.get(COMMENTS).content.decode()

    assert f'href="/admin/customers/{customer.pk}/' in page


def test_comments_are_listed_escaped(agent):
    give_answers(1, 2, day=this_month(), comment=HOSTILE)

    page = agent.get(COMMENTS).content.decode()

    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'dir="auto"' in page


def test_comments_export_as_text_never_as_a_formula(agent):
    give_answers(1, 2, day=this_month(), comment='=HYPERLINK("http://evil.example","click")')

    rows = csv_rows(agent.get(COMMENTS, {"export": "csv"}))

    comment = rows[1][rows[0].index("Comment")]
    assert comment.startswith("'=HYPERLINK")


def test_comments_filter_by_category_language_and_text(agent):
    give_answers(1, 10, day=this_month(), comment="Love the exports", language="he")
    give_answers(1, 2, day=this_month(), comment="Exports are broken", language="he")
    give_answers(1, 2, day=this_month(), comment="Slow search", language="en")

    def listed(**filters):
        return sorted(answer.comment for answer in agent.get(COMMENTS, filters).context["object_list"])

    assert listed(category="detractor") == ["Exports are broken", "Slow search"]
    assert listed(language="he", q="EXPORTS") == ["Exports are broken", "Love the exports"]
    assert listed(q="nothing like this") == []


def test_comments_filter_by_date(agent):
    give_answers(1, 9, day="2026-01-15", comment="January")
    give_answers(1, 9, day="2026-03-15", comment="March")

    found = agent.get(COMMENTS, {"answered_at_from": "2026-03-01", "answered_at_to": "2026-03-31"})

    assert [answer.comment for answer in found.context["object_list"]] == ["March"]


def test_hostile_filters_are_answered_without_an_error(agent):
    for query in ({"q": "x\x00y"}, {"answered_at_from": "2026-99-99"}, {"category": "<b>"}, {"kind": "' OR 1=1"}):
        assert agent.get(COMMENTS, query).status_code == 200
        assert agent.get(NPS, {**query, "answered_at_to": "9999-12-31"}).status_code == 200


def test_a_page_of_comments_costs_the_same_queries_whatever_the_rows(agent, django_assert_max_num_queries):
    give_answers(120, 3, day=this_month(), comment="Too slow", user=UserFactory())

    with django_assert_max_num_queries(COMMENT_PAGE_MAX_QUERIES):
        assert agent.get(COMMENTS).status_code == 200


def test_both_reports_are_in_the_customer_voice_menu_of_an_agent(agent):
    menu = agent.get("/admin/").content.decode()

    assert NPS in menu
    assert COMMENTS in menu


def test_an_editor_without_the_permission_is_refused(client):
    client.force_login(an_editor())

    assert NPS not in client.get("/admin/").content.decode()
    for url in REPORTS:
        assert client.get(url)["Location"] == "/admin/"
        assert client.get(url, **XHR).status_code == 403


def test_a_member_without_admin_access_cannot_open_the_reports(client):
    client.force_login(UserFactory())

    for url in REPORTS:
        assert client.get(url).status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    for url in REPORTS:
        assert client.get(url)["Location"].startswith("/admin/login/")


def test_a_long_range_keeps_its_last_ten_years(agent):
    report = agent.get(NPS, {"answered_at_from": "2000-01-01", "answered_at_to": "2026-06-30"}).context["report"]

    assert report.until == datetime.date(2026, 6, 30)
    assert len(report.months) == 120
