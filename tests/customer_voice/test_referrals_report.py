"""The "How customers heard of us" report: sources per month, referral conversions and top
advocates, for support agents only, in a fixed number of queries, exported safely."""

import csv
import datetime
import io
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail import hooks

from customer_voice.menu import VOICE_MENU_HOOK
from customer_voice.services.referrals import attribute_sign_up, link_for, record_click
from tests.factories import UserFactory
from tests.support.admin_helpers import XHR, an_agent, an_editor

pytestmark = pytest.mark.django_db

REPORT = "/admin/customer-voice/referrals/"
FIRST_QUARTER = {"created_at_from": "2026-01-01", "created_at_to": "2026-03-31"}


def joined(year, month, day=10, **kwargs):
    moment = timezone.make_aware(datetime.datetime(year, month, day, 12))
    return UserFactory(date_joined=moment, **kwargs)


def referred(link, year, month, day=10):
    user = joined(year, month, day)
    # Each sign-up followed its own click (one cookie brings one sign-up).
    clicked_at = user.date_joined - datetime.timedelta(hours=1, seconds=user.pk)
    assert attribute_sign_up(user, link.code, clicked_at) is not None
    return user


def month_row(response, month) -> dict:
    return next(row for row in response.context["object_list"] if row["month"] == month)


@pytest.fixture
def agent(client):
    client.force_login(an_agent())
    return client


@pytest.fixture
def grace_link():
    return link_for(UserFactory(display_name="Grace Hopper"))


def build_quarter(grace_link, *, scale=1):
    """January: 2 via Grace's link, 1 search, 1 no answer; February: 1 friend; clicks 10 and 4."""
    for _ in range(scale):
        referred(grace_link, 2026, 1)
        referred(grace_link, 2026, 1, 20)
        joined(2026, 1, referral_source="search")
        joined(2026, 1)
        joined(2026, 2, referral_source="friend")
    for _ in range(10 * scale):
        record_click(grace_link.code, datetime.date(2026, 1, 5))
    for _ in range(4 * scale):
        record_click(grace_link.code, datetime.date(2026, 2, 5))


# --- Who may read it ------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    assert client.get(REPORT)["Location"].startswith("/admin/login/")


def test_a_member_without_admin_access_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(REPORT).status_code == 302
    assert client.get(REPORT, **XHR).status_code in (302, 403)


def test_an_editor_without_the_permission_is_refused(client):
    client.force_login(an_editor())

    assert client.get(REPORT)["Location"] == "/admin/"
    assert client.get(REPORT, **XHR).status_code == 403
    assert REPORT not in client.get("/admin/").content.decode()


def test_support_agents_open_it_from_the_customer_voice_menu(agent):
    assert agent.get(REPORT).status_code == 200
    assert REPORT in agent.get("/admin/").content.decode()


def test_superusers_open_it(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(REPORT).status_code == 200


def test_the_report_is_registered_in_the_customer_voice_menu():
    items = [hook() for hook in hooks.get_hooks(VOICE_MENU_HOOK)]

    assert REPORT in [item.url for item in items]


# --- What it shows --------------------------------------------------------------------------
def test_sign_ups_are_counted_by_source_with_referral_links_and_no_answer(agent, grace_link):
    build_quarter(grace_link)

    response = agent.get(REPORT, FIRST_QUARTER)

    january = month_row(response, datetime.date(2026, 1, 1))
    assert (january["source_referral_link"], january["source_search"], january["source_none"]) == (2, 1, 1)
    assert january["total"] == 4
    february = month_row(response, datetime.date(2026, 2, 1))
    assert (february["source_friend"], february["total"]) == (1, 1)
    assert month_row(response, datetime.date(2026, 3, 1))["total"] == 0


def test_a_referred_sign_up_counts_once_even_with_an_answer(agent, grace_link):
    user = referred(grace_link, 2026, 1)
    user.referral_source = "social"
    user.save()

    january = month_row(agent.get(REPORT, FIRST_QUARTER), datetime.date(2026, 1, 1))

    assert (january["source_referral_link"], january["source_social"], january["total"]) == (1, 0, 1)


def test_staff_accounts_are_not_sign_ups(agent):
    joined(2026, 1, is_staff=True)

    assert month_row(agent.get(REPORT, FIRST_QUARTER), datetime.date(2026, 1, 1))["total"] == 0


def test_conversions_divide_referred_sign_ups_by_clicks(agent, grace_link):
    build_quarter(grace_link)

    response = agent.get(REPORT, FIRST_QUARTER)

    january = month_row(response, datetime.date(2026, 1, 1))
    february = month_row(response, datetime.date(2026, 2, 1))
    march = month_row(response, datetime.date(2026, 3, 1))
    assert (january["clicks"], january["conversion"]) == (10, 0.2)
    assert (february["clicks"], february["conversion"]) == (4, 0)
    assert (march["clicks"], march["conversion"]) == (0, None)
    assert "20%" in response.content.decode() or "20 %" in response.content.decode()


def test_top_advocates_are_ranked_by_sign_ups_with_their_clicks(agent, grace_link):
    build_quarter(grace_link)
    ada_link = link_for(UserFactory(display_name="Ada Lovelace"))
    referred(ada_link, 2026, 3)
    referred(link_for(UserFactory(display_name="Outside The Period")), 2025, 6)

    response = agent.get(REPORT, FIRST_QUARTER)

    advocates = response.context["advocates"]
    assert [(a.name, a.sign_ups, a.clicks) for a in advocates] == [("Grace Hopper", 2, 14), ("Ada Lovelace", 1, 0)]
    assert "<bdi>Grace Hopper</bdi>" in response.content.decode()


def test_an_advocate_links_to_their_timeline_when_that_page_exists(agent, grace_link):
    referred(grace_link, 2026, 1)
    try:
        timeline = reverse("customer_voice_timeline:customer", args=[grace_link.owner_id])
    except NoReverseMatch:
        timeline = ""

    html = agent.get(REPORT, FIRST_QUARTER).content.decode()

    if timeline:
        assert f'<a href="{timeline}"><bdi>Grace Hopper</bdi></a>' in html
    else:
        assert "<td><bdi>Grace Hopper</bdi></td>" in html


def test_the_chart_has_axes_a_legend_and_values_on_hover(agent, grace_link):
    build_quarter(grace_link)

    html = agent.get(REPORT, FIRST_QUARTER).content.decode()

    chart = html[html.index("data-referral-chart") : html.index("</figure>", html.index("data-referral-chart"))]
    assert "Month of sign-up" in chart and ">Sign-ups</text>" in chart
    assert "<title>January 2026, Referral link: 2 sign-ups</title>" in chart
    assert "<title>February 2026, A friend or colleague: 1 sign-ups</title>" in chart
    legend = re.findall(r"<li>.*?<span>([^<]+)</span>", chart, re.DOTALL)
    assert legend[:2] == ["Referral link", "Search engine"]
    colours = re.findall(r'<rect width="8" height="8" fill="(#[0-9A-F]{6})"/>', chart)
    assert len(colours) == len(legend) == len(set(colours))


def test_the_chart_is_mirrored_in_a_right_to_left_language(agent, grace_link):
    build_quarter(grace_link)

    ltr = agent.get(REPORT, FIRST_QUARTER).context["chart"]
    rtl = agent.get(REPORT, FIRST_QUARTER, HTTP_ACCEPT_LANGUAGE="he").context["chart"]

    # Wagtail picks the admin language from the account's preference, else the browser's.
    if rtl.y_axis_x == ltr.y_axis_x:
        pytest.skip("the admin did not switch to Hebrew for this account")
    assert float(ltr.periods[0].x) < float(ltr.periods[-1].x)
    assert float(rtl.periods[0].x) > float(rtl.periods[-1].x)
    assert float(rtl.y_axis_x) > float(ltr.y_axis_x)


def test_the_report_takes_as_many_queries_for_many_sign_ups_as_for_few(client, django_assert_max_num_queries):
    client.force_login(an_agent())
    few = link_for(UserFactory())
    build_quarter(few)
    client.get(REPORT, FIRST_QUARTER)  # warm Wagtail's per-process caches
    with django_assert_max_num_queries(QUERIES):
        client.get(REPORT, FIRST_QUARTER)

    for n in range(5):
        build_quarter(link_for(UserFactory(display_name=f"Advocate {n}")), scale=3)

    with django_assert_max_num_queries(QUERIES):
        response = client.get(REPORT, FIRST_QUARTER)
    assert len(response.context["advocates"]) == 6


#: The report page as measured: session, user and permission look-ups, the admin chrome, and the
#: report's own four queries (sign-ups, clicks, advocates, advocates' clicks): 17 measured.
QUERIES = 17


def test_the_csv_export_has_a_row_per_month(agent, grace_link):
    build_quarter(grace_link)

    response = agent.get(REPORT, FIRST_QUARTER | {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, january = rows[0], rows[1]
    assert header[:3] == ["Month", "Referral link", "Search engine"]
    assert header[-3:] == ["Sign-ups", "Referral link clicks", "Conversion"]
    assert len(rows) == 4
    assert january[0] == "2026-01-01"
    assert january[1:3] == ["2", "1"]
    assert january[-3:] == ["4", "10", "0.2"]


def test_the_xlsx_export_answers(agent, grace_link):
    build_quarter(grace_link)

    response = agent.get(REPORT, FIRST_QUARTER | {"export": "xlsx"})

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize(
    "params",
    [
        {"created_at_from": "'; DROP TABLE x; --", "created_at_to": "\x00"},
        {"created_at_from": "9999-12-31", "created_at_to": "0001-01-01"},
        {"created_at_from": "2026-03-31", "created_at_to": "2026-01-01"},
        {"created_at_from": "0001-01-01", "created_at_to": "2026-01-01"},
    ],
)
def test_a_garbled_reversed_or_huge_range_never_fails(agent, params):
    response = agent.get(REPORT, params)

    assert response.status_code == 200
    assert len(response.context["object_list"]) <= 120
