"""The roadmap's mutations: who may, what is refused (and then nothing is written), and shipping
an item telling the voters of the ideas it answers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from customer_council.models import IdeaStatus, IdeaStatusChange, Membership, ProductArea, RoadmapItem
from customer_council.services import ideas, roadmap
from forum.models import NotificationPreference
from sitewide.errors import ActionRefused
from tests.customer_council.channel_helpers import empty_channel_layer, listen, received  # noqa: F401
from tests.customer_council.roadmap_helpers import make_item, make_published_item
from tests.factories import UserFactory
from tests.factories.council import make_council_manager, make_council_member, make_membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_channel_layer")]


@pytest.fixture
def manager():
    return make_council_manager()


# --- Who sees the roadmap -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "outsider", "invited", "expired", "revoked"])
def test_nobody_outside_the_council_sees_any_roadmap_item(manager, role):
    make_item(manager)
    user = None
    if role != "anonymous":
        user = UserFactory()
        if role != "outsider":
            make_membership(user, state=role)

    assert not roadmap.visible_items(user).exists()


def test_members_and_managers_see_every_item_embargoed_or_not(manager):
    make_item(manager, "Later")
    make_item(manager, "Earlier", days=-3)

    for user in (make_council_member(), manager):
        assert set(roadmap.visible_items(user).values_list("title", flat=True)) == {"Later", "Earlier"}


# --- Creating and editing ---------------------------------------------------------------------------


def test_a_manager_creates_an_item_whose_summary_is_rendered_through_the_sanitising_pipeline(manager):
    area = ProductArea.objects.create(name="Reports")
    idea = ideas.post_idea(make_council_member(), "Planner", "No plan")

    item = roadmap.create_item(
        manager,
        "  Quarterly   planner ",
        "A **bold** plan <script>alert(1)</script> [x](javascript:alert(1))",
        embargo_until=timezone.now() + timedelta(days=3),
        product_area=area,
        ideas=[idea.pk],
    )

    item.refresh_from_db()
    assert item.title == "Quarterly planner"
    assert "<strong>bold</strong>" in item.summary_html
    assert "<script>" not in item.summary_html and "javascript:" not in item.summary_html
    assert list(item.ideas.all()) == [idea]
    assert (item.stage, item.created_by, item.product_area) == ("planned", manager, area)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("", "fine"),
        ("nul \x00 title", "fine"),
        ("x" * 151, "fine"),
        ("Fine", "nul \x00 summary"),
        ("Fine", "s" * 20001),
        ("Fine", "> " * 30 + "deep"),
    ],
    ids=["empty title", "NUL title", "long title", "NUL summary", "huge summary", "nested too deep"],
)
def test_hostile_or_empty_text_is_refused_and_nothing_is_written(manager, title, summary):
    with pytest.raises(ActionRefused) as refusal:
        roadmap.create_item(manager, title, summary, embargo_until=timezone.now())

    assert refusal.value.message
    assert not RoadmapItem.objects.exists()


def test_linking_an_idea_that_does_not_exist_is_refused_and_nothing_is_written(manager):
    with pytest.raises(ActionRefused) as refusal:
        roadmap.create_item(manager, "Planner", embargo_until=timezone.now(), ideas=[999_999])

    assert refusal.value.status == 404
    assert not RoadmapItem.objects.exists()


@pytest.mark.parametrize("who", ["member", "outsider", "nobody"])
def test_only_managers_write_the_roadmap(manager, who):
    item, published = make_item(manager, days=-1), make_published_item(manager)
    user = {"member": make_council_member, "outsider": UserFactory, "nobody": lambda: None}[who]()

    for action in (
        lambda: roadmap.create_item(user, "Sneaky", embargo_until=timezone.now()),
        lambda: roadmap.update_item(item, user, title="Sneaky", embargo_until=timezone.now()),
        lambda: roadmap.publish(item, "Sneaky", "", by=user),
        lambda: roadmap.unpublish(published, by=user),
        lambda: roadmap.mark_shipped(item, by=user),
    ):
        with pytest.raises(ActionRefused) as refusal:
            action()
        assert refusal.value.status == 403

    item.refresh_from_db()
    published.refresh_from_db()
    assert item.published_at is None and item.stage == "planned" and published.is_public
    assert not RoadmapItem.objects.filter(title="Sneaky").exists()


def test_editing_cannot_ship_an_item_or_move_a_published_embargo_later(manager):
    item = make_published_item(manager)

    with pytest.raises(ActionRefused):
        roadmap.update_item(item, manager, title="T", embargo_until=timezone.now(), stage="shipped")
    with pytest.raises(ActionRefused) as refusal:
        roadmap.update_item(item, manager, title="T", embargo_until=timezone.now() + timedelta(days=5))

    assert refusal.value.status == 409
    item.refresh_from_db()
    assert item.title != "T" and item.stage == "planned"


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_before_the_embargo_is_refused(manager):
    item = make_item(manager, days=2)

    with pytest.raises(ActionRefused) as refusal:
        roadmap.publish(item, "Public title", "Public words", by=manager)

    assert "confidential until" in refusal.value.message
    item.refresh_from_db()
    assert item.published_at is None and item.public_title == ""


def test_publishing_needs_a_public_title_of_its_own(manager):
    item = make_item(manager, days=-1)

    for title in ("", "   ", "\x00"):
        with pytest.raises(ActionRefused):
            roadmap.publish(item, title, "Words", by=manager)

    item.refresh_from_db()
    assert item.published_at is None


def test_after_the_embargo_a_manager_publishes_with_public_wording_and_may_unpublish(manager):
    item = make_item(manager, days=-1)

    roadmap.publish(item, "Planner for everyone", "Plan *your* quarter.", by=manager)

    item.refresh_from_db()
    assert item.is_public and item.published_by == manager
    assert (item.public_title, item.public_summary_html) == (
        "Planner for everyone",
        "<p>Plan <em>your</em> quarter.</p>",
    )
    first = item.published_at

    roadmap.publish(item, "Planner for all", "", by=manager)
    item.refresh_from_db()
    assert item.published_at == first and item.public_title == "Planner for all"

    roadmap.unpublish(item, by=manager)
    item.refresh_from_db()
    assert item.published_at is None and item.public_title == "Planner for all"
    with pytest.raises(ActionRefused):
        roadmap.unpublish(item, by=manager)


# --- Shipping -------------------------------------------------------------------------------------


@pytest.fixture
def answered(manager):
    """An item answering three ideas: one open (with a voter), one declined, one already shipped."""
    author, voter = make_council_member(), make_council_member()
    open_idea = ideas.post_idea(author, "Planner", "No plan")
    ideas.vote(voter, open_idea)
    declined = ideas.post_idea(author, "Fax export", "Fax")
    ideas.change_status(declined, IdeaStatus.objects.get(name="Declined"), "", by=manager)
    done = ideas.post_idea(author, "Dark mode", "Bright")
    ideas.change_status(done, IdeaStatus.objects.get(name="Shipped"), "", by=manager)
    item = make_item(manager, "Quarter planner", ideas=[open_idea, declined, done])
    return {"item": item, "open": open_idea, "declined": declined, "done": done, "author": author, "voter": voter}


def test_shipping_moves_the_open_ideas_to_the_first_shipped_status_with_a_note_naming_the_item(manager, answered):
    IdeaStatus.objects.create(name="Released (later)", kind=IdeaStatus.Kind.SHIPPED, position=99)
    before = {key: IdeaStatusChange.objects.filter(idea=answered[key]).count() for key in ("declined", "done")}

    roadmap.mark_shipped(answered["item"], by=manager, note="Try it in *Reports*.")

    answered["item"].refresh_from_db()
    assert answered["item"].stage == "shipped" and answered["item"].shipped_at is not None
    answered["open"].refresh_from_db()
    assert answered["open"].status == IdeaStatus.objects.get(name="Shipped")
    change = IdeaStatusChange.objects.filter(idea=answered["open"]).last()
    assert "Quarter planner" in change.note_html and "<em>Reports</em>" in change.note_html
    assert change.changed_by == manager
    for key in ("declined", "done"):
        assert IdeaStatusChange.objects.filter(idea=answered[key]).count() == before[key], key


def test_shipping_tells_the_voters_who_may_still_enter_and_not_one_whose_membership_expired(
    manager, answered, django_capture_on_commit_callbacks
):
    expired_voter = make_council_member()
    ideas.vote(expired_voter, answered["open"])
    Membership.objects.filter(user=expired_voter).update(
        state=Membership.State.EXPIRED, term_end=timezone.localdate() - timedelta(days=1)
    )
    NotificationPreference.objects.create(user=answered["voter"], email_on_activity=True)
    NotificationPreference.objects.create(user=expired_voter, email_on_activity=True)
    voter_channel, expired_channel = listen(answered["voter"]), listen(expired_voter)

    with django_capture_on_commit_callbacks(execute=True):
        roadmap.mark_shipped(answered["item"], by=manager)

    assert any(event["idea"] == answered["open"].pk for event in received(voter_channel))
    assert received(expired_channel) == []
    assert [message.to for message in mail.outbox] == [[answered["voter"].email]]
    assert "Quarter planner" in mail.outbox[0].body


def test_shipping_twice_or_without_a_shipped_status_is_refused_and_writes_nothing(manager, answered):
    roadmap.mark_shipped(answered["item"], by=manager)
    changes = IdeaStatusChange.objects.count()
    with pytest.raises(ActionRefused) as refusal:
        roadmap.mark_shipped(answered["item"], by=manager)
    assert refusal.value.status == 409

    other = make_item(manager, "Other", ideas=[ideas.post_idea(make_council_member(), "Idea", "P")])
    IdeaStatus.objects.filter(kind=IdeaStatus.Kind.SHIPPED).update(kind=IdeaStatus.Kind.PLANNED)
    with pytest.raises(ActionRefused):
        roadmap.mark_shipped(other, by=manager)
    other.refresh_from_db()
    assert other.stage == "planned" and other.shipped_at is None
    assert IdeaStatusChange.objects.count() == changes + 1  # only the new idea's first status


def test_a_ship_note_with_a_nul_byte_or_too_long_is_refused(manager, answered):
    for note in ("bad \x00", "n" * 5000):
        with pytest.raises(ActionRefused):
            roadmap.mark_shipped(answered["item"], by=manager, note=note)

    answered["item"].refresh_from_db()
    assert answered["item"].stage == "planned"
