"""What staff outside the council read about searches and suggestions: the search analytics
(kb reports), the support events (a ticket's journey, the deflection reports) and the
``support_report`` command. A council member's search or suggestion that touched council content
leaves no trace there: not its words, not a result's title, not a count.

Each role searches and asks for suggestions with a query that finds council content (for members
and managers) and a public article; then the records and the command's output are checked.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kb.models import SearchClick, SearchEvent
from support.models import Event
from support.visits import new_visit_id
from tests.customer_council.area_helpers import make_council_page, make_idea
from tests.customer_council.test_privacy_matrix import ROLES, make_role
from tests.factories import BROWSER_USER_AGENT, make_article
from tests.factories.council import make_agreements

pytestmark = pytest.mark.django_db

SECRET_WORD = "marzipan"
SECRET_TITLE = "Heliotrope roadmap briefing"
IDEA_TITLE = "Periwinkle bulk export"


@pytest.fixture
def world(help_centers, django_capture_on_commit_callbacks):
    make_agreements()
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Exporting marzipan reports", body="How to export reports.")
        make_council_page(help_centers["en"], SECRET_TITLE, SECRET_WORD)
        make_idea(IDEA_TITLE, problem=f"Exporting {SECRET_WORD} reports takes hours.")


def use_every_search_exit(client):
    visit = new_visit_id()
    client.get("/en/search/", {"q": SECRET_WORD})
    client.get("/api/suggest/", {"q": SECRET_WORD, "lang": "en"})
    client.get("/en/support/contact/suggestions/", {"q": SECRET_WORD, "visit": visit})
    client.get("/en/forum/similar/", {"q": SECRET_WORD})


def report_text() -> str:
    out = StringIO()
    today = timezone.localdate().isoformat()
    call_command("support_report", since=today, format="json", stdout=out)
    call_command("support_report", since=today, format="text", stdout=out)
    return out.getvalue()


def recorded_titles() -> str:
    events = " ".join(str(data) for data in Event.objects.values_list("data", flat=True))
    queries = " ".join(SearchEvent.objects.values_list("query", flat=True))
    clicks = " ".join(SearchClick.objects.values_list("url", flat=True))
    return " ".join([events, queries, clicks])


@pytest.mark.parametrize("role", ROLES)
def test_no_trace_of_council_content_in_analytics_events_or_the_support_report(world, role):
    client = Client(HTTP_USER_AGENT=BROWSER_USER_AGENT)
    user = make_role(role)
    if user is not None:
        client.force_login(user)

    use_every_search_exit(client)

    records, report = recorded_titles(), report_text()
    for trace in (SECRET_TITLE, IDEA_TITLE, "/council/"):
        assert trace not in records, f"{role}: {trace!r} recorded"
        assert trace not in report, f"{role}: {trace!r} in support_report"
    if role in ("member", "manager"):
        # The query found council content: its words are not recorded at all.
        assert not SearchEvent.objects.filter(query__icontains=SECRET_WORD).exists()
        assert SECRET_WORD not in report
    else:
        # Outsiders' searches found only the public article: recorded as usual.
        assert SearchEvent.objects.filter(query=SECRET_WORD).exists()
