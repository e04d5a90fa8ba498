"""The council of the demo site: a cohort, its members in every state, agreements, 30 ideas.

Called by demo's load_demo after the accounts exist; idempotent (a second run adds nothing).
Memberships are written as rows with their audit events (an invitation email to a demo address
would only go to the console); everything members do (ideas, votes, comments) and every status
change goes through the services, as on a live site, so counts, histories and the search index
are what they would be.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale

from customer_council.access import sync_access
from customer_council.documents import ensure_council_collection
from customer_council.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementKind,
    Cohort,
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    Meeting,
    Membership,
    MembershipEvent,
    PreRead,
    ProductArea,
    RoadmapItem,
    Team,
)
from customer_council.sections import ensure_council_sections
from customer_council.services import ideas as idea_service
from customer_council.services import meetings as meeting_service
from customer_council.services import roadmap as roadmap_service
from customer_council.services.membership import accept_agreements

COHORT = "Council 2026"
AGREEMENTS = {
    AgreementKind.CHARTER: (
        "Council charter",
        "<h2>Why the council exists</h2><p>Members help shape the product by raising and ranking ideas, "
        "reviewing roadmap previews and meeting with the product team each quarter.</p>"
        "<h2>What we ask</h2><ul><li>Take part in at least three of the four meetings of a term.</li>"
        "<li>Give candid feedback, including when a plan does not suit you.</li></ul>"
        "<h2>What we promise</h2><ul><li>Every idea gets a status and, when it changes, a note.</li>"
        "<li>A yearly \u201cyou said, we did\u201d report.</li></ul>",
    ),
    AgreementKind.CONFIDENTIALITY: (
        "Confidentiality agreement",
        "<p>Roadmap previews, meeting minutes, other members\u2019 ideas and the member directory are "
        "confidential. Do not share them outside the council, and do not name another member\u2019s "
        "company without their consent.</p><p>This agreement lasts for your term and two years after it.</p>",
    ),
}
#: (email, display name, company, role, region, state); council@example.com is in load_demo's accounts.
MEMBERS = [
    ("council@example.com", "Cora Council", "Northwind Traders", "IT director", "Europe", "active"),
    ("priya@council.example", "Priya Raman", "Contoso Pharma", "Support lead", "Asia", "active"),
    ("mateo@council.example", "Mateo Silva", "Fabrikam", "Operations manager", "South America", "active"),
    ("olga@council.example", "Ольга Иванова", "Tailspin Logistics", "Head of service desk", "Europe", "active"),
    ("reza@council.example", "رضا احمدی", "Alpine Ski House", "CTO", "Middle East", "active"),
    ("noa@council.example", "נועה כהן", "Wide World Importers", "Product owner", "Middle East", "active"),
    ("grace@council.example", "Grace Okafor", "Woodgrove Bank", "Customer success manager", "Africa", "active"),
    ("former@council.example", "Felix Former", "Litware", "Analyst", "North America", "expired"),
    ("invited@council.example", "", "Adventure Works", "VP customer experience", "North America", "invited"),
]
#: 30 ideas (title, problem, area, tags, status, note to members) and comments, written for the demo.
IDEAS_FILE = Path(__file__).parent / "demo_data" / "ideas.json"
#: Staff-only weighting of each member's votes, spread over the demo members.
SEGMENTS, PLANS, REVENUE_BANDS = (
    ["Enterprise", "Mid-market", "Public sector"],
    ["Premium", "Growth"],
    ["$1M+", "$100k-1M"],
)
AREAS = ["Reporting", "Integrations", "Mobile app", "Administration", "Help center"]
TEAMS = [("Product", "product@example.com"), ("Design", "design@example.com"), ("Sales", ""), ("Support", "")]


def load_demo_council(manager) -> str:
    """Build the demo council (idempotently); returns one line saying what it did."""
    ensure_council_sections()
    publish_agreements()
    cohort, members = create_members()
    if Idea.objects.exists():
        return f"Council demo: {Membership.objects.filter(cohort=cohort).count()} memberships, ideas kept as they are"
    count = create_ideas(members, manager)
    create_roadmap(manager)
    create_meetings(members, manager, cohort)
    return (
        f"Council demo: {len(members)} active members, 1 expired, 1 invited, {count} ideas, "
        f"{RoadmapItem.objects.count()} roadmap items, {Meeting.objects.count()} meetings"
    )


#: Roadmap items: (title, summary, days until the embargo lifts, idea titles it answers, public
#: wording once published or None, shipped). One under embargo (the preview members see first),
#: one shipped and on the public "What's new" page.
ROADMAP = [
    (
        "Scheduled report delivery",
        "Reports go out by email on a schedule you choose, as CSV or PDF. **Confidential**: the "
        "pricing tier it lands in is not decided; please do not share this preview.",
        21,
        ["Schedule reports to arrive by email", "Export dashboards to spreadsheets"],
        None,
        False,
    ),
    (
        "Dark mode everywhere",
        "The agent workspace and the help center follow the system's dark mode.",
        -10,
        ["Dark mode"],
        ("Dark mode", "The agent workspace and the help center now follow your system's dark mode."),
        True,
    ),
]


def create_roadmap(manager) -> None:
    ideas_by_title = {idea.title: idea for idea in Idea.objects.all()}
    for title, summary, days, idea_titles, public, shipped in ROADMAP:
        item = roadmap_service.create_item(
            manager,
            title,
            summary,
            embargo_until=timezone.now() + timedelta(days=days),
            ideas=[ideas_by_title[name] for name in idea_titles if name in ideas_by_title],
        )
        if shipped:
            roadmap_service.mark_shipped(item, manager)
        if public is not None:
            roadmap_service.publish(item, public[0], public[1], manager)


def create_meetings(members, manager, cohort) -> None:
    """A past meeting with minutes and action items (one overdue), and an upcoming one with an
    agenda linking ideas and a pre-read. Dates are relative to today, so the demo stays current."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    top_ideas = list(Idea.objects.filter(merged_into__isnull=True, hidden=False).order_by("-vote_count", "pk")[:3])
    # The past one is written directly: the scheduling service (rightly) refuses a start in the past.
    past = Meeting.objects.create(
        cohort=cohort,
        title="Spring council meeting",
        starts_at=now - timedelta(days=45),
        duration_minutes=90,
        location="Video call",
        description="Roadmap review and the reporting ideas.",
        description_html="<p>Roadmap review and the reporting ideas.</p>",
        minutes=(
            "<h2>Decisions</h2><p>Scheduled report delivery goes into the next planning cycle; dark mode "
            "ships first.</p><h2>Discussion</h2><p>Members asked for CSV and PDF; two need SSO before "
            "rolling the agent workspace out further.</p>"
        ),
        minutes_published_at=now - timedelta(days=40),
        created_by=manager,
    )
    for n, idea in enumerate(top_ideas):
        AgendaItem.objects.create(meeting=past, title=f"Discuss: {idea.title}", idea=idea, sort_order=n)
    ActionItem.objects.create(
        meeting=past, title="Share the draft report formats", owner=manager,
        due_on=timezone.localdate() - timedelta(days=5), sort_order=0,
    )  # fmt: skip
    ActionItem.objects.create(
        meeting=past, title="Send two sample CSV exports", owner=members[0],
        due_on=timezone.localdate() + timedelta(days=10), sort_order=1,
    )  # fmt: skip
    ActionItem.objects.create(
        meeting=past, title="Book the autumn meeting", owner=manager, status=ActionItem.Status.DONE,
        completed_at=now - timedelta(days=30), sort_order=2,
    )  # fmt: skip

    upcoming = meeting_service.schedule(
        manager,
        title="Autumn council meeting",
        starts_at=now + timedelta(days=12, hours=3),
        duration_minutes=90,
        location="Video call (the link arrives with the invitation)",
        description="The scheduled reports preview, and what you told us about the mobile app.",
        cohort=cohort,
    )
    for n, idea in enumerate(top_ideas[:2]):
        AgendaItem.objects.create(meeting=upcoming, title=idea.title, idea=idea, sort_order=n)
    AgendaItem.objects.create(meeting=upcoming, title="Open floor", sort_order=5)
    document = get_document_model()(title="Autumn pre-read: scheduled reports", collection=ensure_council_collection())
    document.file.save("autumn-pre-read.txt", ContentFile(PRE_READ.encode()), save=False)
    document.save()
    PreRead.objects.create(meeting=upcoming, document=document)
    meeting_service.rsvp(members[1], upcoming, "yes")


PRE_READ = """Autumn council pre-read (demo document)

Scheduled report delivery: what we plan, and three questions for you.
1. Which reports would you schedule first?
2. Daily, weekly or monthly?
3. CSV, PDF or both?
"""


def publish_agreements() -> None:
    for kind, (title, body) in AGREEMENTS.items():
        for locale in Locale.objects.all():
            if Agreement.objects.filter(kind=kind, locale=locale).exists():
                continue
            source = Agreement.objects.filter(kind=kind).first()
            agreement = Agreement(kind=kind, title=title, body=body, version=1, locale=locale)
            if source is not None:
                agreement.translation_key = source.translation_key
            agreement.save()
            agreement.save_revision().publish()


@transaction.atomic
def create_members():
    User = get_user_model()
    today = timezone.localdate()
    cohort, _created = Cohort.objects.get_or_create(
        name=COHORT, defaults={"starts_on": today - timedelta(days=120), "ends_on": today + timedelta(days=245)}
    )
    active = []
    for n, (email, name, company, role, region, state) in enumerate(MEMBERS):
        user = None
        if state != "invited":
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=None, display_name=User.objects.free_display_name(name)
                )
                user.emailaddress_set.create(email=email, verified=True, primary=True)
        membership = Membership.objects.filter(cohort=cohort, email=email).first()
        if membership is None:
            ended = state == "expired"
            membership = Membership.objects.create(
                cohort=cohort, user=user, email=email, state=state, company=company, role=role, region=region,
                show_company=True, show_role=state == "active", show_region=email != "priya@council.example",
                segment=SEGMENTS[n % len(SEGMENTS)], plan=PLANS[n % len(PLANS)],
                revenue_band=REVENUE_BANDS[n % len(REVENUE_BANDS)],
                term_start=today - timedelta(days=480 if ended else 120),
                term_end=today - timedelta(days=20) if ended else today + timedelta(days=245),
            )  # fmt: skip
            MembershipEvent.objects.create(
                membership=membership, kind=MembershipEvent.Kind.INVITED, detail={"demo": True}
            )
            if state in ("active", "expired"):
                MembershipEvent.objects.create(
                    membership=membership, kind=MembershipEvent.Kind.ACCEPTED, detail={"demo": True}
                )
            if state == "expired":
                MembershipEvent.objects.create(
                    membership=membership, kind=MembershipEvent.Kind.EXPIRED, detail={"demo": True}
                )
        if state == "active":
            accept_agreements(user, "en")
            active.append(user)
        if user is not None:
            sync_access(user)
    return cohort, active


def create_ideas(members, manager) -> int:
    data = json.loads(IDEAS_FILE.read_text(encoding="utf-8"))
    comments = data["comments"]
    areas = {name: ProductArea.objects.get_or_create(name=name)[0] for name in AREAS}
    for name, email in TEAMS:
        Team.objects.get_or_create(name=name, defaults={"email": email})
    teams = list(Team.objects.order_by("pk"))
    statuses = {status.name: status for status in IdeaStatus.objects.all()}
    for n, row in enumerate(data["ideas"]):
        title, problem, area, tags, status_name, note = (
            row[key] for key in ("title", "problem", "area", "tags", "status", "note")
        )
        author = members[n % len(members)]
        idea = idea_service.post_idea(author, title, problem, body="", product_area=areas[area], tags=tags)
        # A long tail of support, as on a real board: early ideas have more voters.
        for voter in members[: max(1, len(members) - n // 4)]:
            if voter != author:
                idea_service.vote(voter, idea)
        for k in range(n % 3):
            idea_service.comment(members[(n + k + 1) % len(members)], idea, comments[(n + k) % len(comments)])
        if n % 4 == 0:
            idea_service.assign_team(idea, teams[n % len(teams)], by=manager)
        status = statuses.get(status_name)
        if status is not None and status_name not in ("Open",):
            if status_name != "Under review" and "Under review" in statuses:
                idea_service.change_status(idea, statuses["Under review"], by=manager)
            idea_service.change_status(idea, status, note=note, by=manager)
        backdate(idea, days_ago=100 - 3 * n)
    return len(data["ideas"])


def backdate(idea, *, days_ago: int) -> None:
    """Spread the demo's history over the last months, as on a board in use: the idea was raised
    ``days_ago`` days ago and each status change came a week or two after the one before. (Votes
    keep today's date, so the trending sort has something to show.)"""
    raised = timezone.now() - timedelta(days=days_ago)
    Idea.objects.filter(pk=idea.pk).update(created_at=raised, updated_at=raised)
    for k, change in enumerate(IdeaStatusChange.objects.filter(idea=idea).order_by("at", "pk")):
        at = min(raised + timedelta(days=11 * k), timezone.now())
        IdeaStatusChange.objects.filter(pk=change.pk).update(at=at)
    IdeaComment.objects.filter(idea=idea).update(created_at=raised + timedelta(days=2))
