"""The Stories report in a real browser: an anonymous reader opens a story, then an editor finds
the Stories report in the Reports menu and sees the chart and that story's row."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory, ensure_help_centers
from tests.factories.stories import make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor():
    user = UserFactory(email="eda@example.com", display_name="Eda Editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def story():
    ensure_help_centers()
    return make_story("Acme halves its tickets")


def test_an_editor_sees_the_story_an_anonymous_reader_just_read(reader, page, editor, story, artifacts_dir):
    reader.goto(story.url)
    expect(reader.get_by_role("heading", level=1)).to_have_text("Acme halves its tickets")
    reader.reload()

    page.goto("/admin/login/")
    page.locator("input[name='username']").fill(editor.email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Stories").click()
    page.wait_for_url("**/admin/reports/stories/")

    expect(page.get_by_role("heading", name="Stories", level=1)).to_be_visible()
    chart = page.get_by_role("group", name="Views of the most viewed stories")
    expect(chart).to_be_visible()
    expect(chart.locator("[data-chart-mark]")).to_have_count(1)
    row = page.locator("table.listing:not([data-chart-table]) tbody tr", has_text="Acme halves its tickets")
    expect(row).to_have_count(1)
    # Views, unique visitors: the reload was not a second view.
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text("1")
    page.screenshot(path=str(artifacts_dir / "story-report.png"), full_page=True)
