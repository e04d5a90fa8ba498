"""Notifications: who watches, who hears of a reply, a mention or an accepted answer, and who
never does (the actor, and anyone who can no longer see the topic when it is sent); email only
for those who opted in, in their language, after commit."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Notification, Topic, TopicWatch
from forum.services import notifications
from tests.factories.forum import make_category, make_group, make_member, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(asker, after_commit):
    with after_commit():
        return services.create_topic(asker, category=make_category("Coffee"), title="Descaling", body="How often?")


def reply(user, topic, body, after_commit):
    with after_commit():
        return services.reply(user, topic, body)


def received(user) -> list[tuple[str, int | None]]:
    return [(row.kind, row.post.position if row.post else None) for row in Notification.objects.filter(recipient=user)]


# --- Watching ------------------------------------------------------------------------------------


def test_the_author_and_every_replier_watch_the_topic(topic, asker, after_commit):
    helper = make_member()
    reply(helper, topic, "Citric acid.", after_commit)

    assert set(TopicWatch.objects.filter(topic=topic).values_list("user_id", flat=True)) == {asker.pk, helper.pk}


def test_a_member_can_watch_and_stop_watching_from_the_topic_page(client, topic):
    reader = make_member()
    client.force_login(reader)
    assert "Watch this topic" in client.get(topic.get_absolute_url()).content.decode()

    client.post(reverse("forum:watch", args=[topic.pk]), {"action": "watch"})
    assert notifications.is_watching(reader, topic)
    assert "Stop watching" in client.get(topic.get_absolute_url()).content.decode()

    client.post(reverse("forum:watch", args=[topic.pk]), {"action": "unwatch"})
    assert not notifications.is_watching(reader, topic)


def test_nobody_can_watch_a_topic_they_cannot_see(client, topic):
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    client.force_login(make_member())
    assert client.post(reverse("forum:watch", args=[topic.pk])).status_code == 404
    assert client.post(reverse("forum:watch", args=[topic.pk]), HTTP_ACCEPT="application/json").status_code == 404


# --- Who hears of what -------------------------------------------------------------------------


def test_a_reply_notifies_the_watchers_but_not_its_author(topic, asker, after_commit):
    helper, watcher = make_member(), make_member()
    notifications.watch(watcher, topic)

    reply(helper, topic, "Citric acid.", after_commit)

    assert received(asker) == [("reply", 2)]
    assert received(watcher) == [("reply", 2)]
    assert received(helper) == []


def test_replying_to_your_own_topic_notifies_nobody_about_it_but_the_others(topic, asker, after_commit):
    helper = make_member()
    reply(helper, topic, "Citric acid.", after_commit)
    reply(asker, topic, "Thanks, how much?", after_commit)

    assert received(asker) == [("reply", 2)]
    assert received(helper) == [("reply", 3)]


def test_a_mention_notifies_the_member_once_as_a_mention(topic, asker, after_commit):
    helper = make_member(display_name="Hugo Helper")
    reply(helper, topic, "Citric acid.", after_commit)  # Hugo now watches the topic

    reply(make_member(), topic, "What @[Hugo Helper] said, and @[Asha Asker] too.", after_commit)

    assert received(helper) == [("mention", 3)]
    assert sorted(received(asker)) == [("mention", 3), ("reply", 2)]


def test_an_edit_that_adds_a_mention_notifies_the_newly_mentioned_once(topic, asker, after_commit):
    helper, other = make_member(display_name="Hugo Helper"), make_member(display_name="Olga Other")
    post = reply(helper, topic, "Citric acid.", after_commit)

    with after_commit():
        services.edit_post(helper, post, "Citric acid, as @[Olga Other] says.")
    with after_commit():
        services.edit_post(helper, post, "Citric acid, as @[Olga Other] always says.")

    assert received(other) == [("mention", 2)]
    assert received(asker) == [("reply", 2)]


def test_mentioning_yourself_notifies_nobody(topic, after_commit):
    helper = make_member(display_name="Hugo Helper")
    reply(helper, topic, "As I, @[Hugo Helper], always say: citric acid.", after_commit)

    assert received(helper) == []


def test_accepting_an_answer_notifies_its_author(topic, asker, after_commit):
    helper = make_member()
    answer = reply(helper, topic, "Citric acid.", after_commit)

    with after_commit():
        services.accept_answer(asker, answer)

    assert ("accepted", 2) in received(helper)
    assert Notification.objects.get(recipient=helper, kind="accepted").actor == asker


def test_accepting_your_own_answer_notifies_nobody(asker, after_commit):
    with after_commit():
        topic = services.create_topic(asker, category=make_category(), title="Descaling again", body="Hm?")
    answer = reply(asker, topic, "Found it myself: citric acid.", after_commit)

    with after_commit():
        services.accept_answer(asker, answer)

    assert received(asker) == []


# --- Permission is checked when sending -----------------------------------------------------------


def test_a_watcher_who_can_no_longer_see_the_topic_gets_nothing(topic, asker, after_commit):
    insiders = make_group("Insiders")
    insider = make_member(insiders)
    outsider = make_member()
    notifications.watch(insider, topic)
    notifications.watch(outsider, topic)
    topic.category.restricted_to.set([insiders])

    reply(insider, topic, "Members only now.", after_commit)

    assert received(outsider) == []
    assert received(asker) == []  # the asker is not in the group either
    assert received(insider) == []  # the actor


def test_watchers_of_a_hidden_topic_get_nothing_but_moderators_do(topic, asker, after_commit):
    moderator = make_moderator()
    notifications.watch(moderator, topic)
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    topic.refresh_from_db()

    reply(make_moderator(), topic, "Moderators talking.", after_commit)

    assert received(asker) == []
    assert received(moderator) == [("reply", 2)]


def test_a_mention_in_a_restricted_topic_does_not_reach_an_outsider(after_commit):
    insiders = make_group("Insiders")
    outsider = make_member(display_name="Otto Outsider")
    with after_commit():
        topic = services.create_topic(
            make_member(insiders),
            category=make_category("Council", restricted_to=[insiders]),
            title="Roadmap thoughts",
            body="What would @[Otto Outsider] say?",
        )

    assert received(outsider) == []
    assert topic.pk


def test_a_rolled_back_reply_notifies_nobody(topic, asker, after_commit):
    with after_commit(), pytest.raises(RuntimeError), transaction.atomic():
        services.reply(make_member(), topic, "Never happened.")
        raise RuntimeError("rolled back")

    assert Notification.objects.count() == 0


# --- Email ---------------------------------------------------------------------------------------


def test_only_members_who_opted_in_are_emailed_in_their_language(topic, asker, after_commit):
    russian = make_member(preferred_language="ru", email="ru@example.com")
    notifications.watch(russian, topic)
    notifications.set_email_preference(russian, True)
    mail.outbox.clear()

    reply(make_member(display_name="Hugo Helper"), topic, "Citric acid.", after_commit)

    assert [message.to for message in mail.outbox] == [["ru@example.com"]]
    message = mail.outbox[0]
    assert "Hugo Helper" in message.subject and "Descaling" in message.subject
    assert "/ru/forum/t/" in message.body and "#post-2" in message.body
    assert "/ru/forum/notifications/" in message.body


def test_email_is_off_by_default_and_can_be_turned_on_and_off(client, topic):
    member = make_member()
    client.force_login(member)
    assert 'name="email_on_activity">' in client.get(reverse("forum:notifications")).content.decode()
    assert not notifications.wants_email(member)

    client.post(reverse("forum:notification_settings"), {"email_on_activity": "on"})
    assert notifications.wants_email(member)
    assert 'name="email_on_activity" checked' in client.get(reverse("forum:notifications")).content.decode()

    client.post(reverse("forum:notification_settings"), {})
    assert not notifications.wants_email(member)


# --- Reading them ----------------------------------------------------------------------------------


def make_notifications(recipient, count, topic):
    # One Hugo however often this is called (get-or-create by email): display names are unique.
    actor = make_member(email="hugo@example.com", display_name="Hugo Helper")
    Notification.objects.bulk_create(
        [Notification(recipient=recipient, kind="reply", topic=topic, actor=actor) for _ in range(count)]
    )


def test_the_list_runs_the_same_queries_for_3_and_60_notifications(client, topic):
    few, many = make_member(), make_member()
    make_notifications(few, 3, topic)
    make_notifications(many, 60, topic)
    counts = []
    for member in (few, many):
        client.force_login(member)
        client.get(reverse("forum:notifications"))  # warm caches (site root)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("forum:notifications"), {"page": 2 if member == many else 1})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.context["page_obj"].paginator.num_pages == 3
    assert "Hugo Helper replied to “Descaling”" in response.content.decode()


def test_the_list_leaves_out_topics_the_member_can_no_longer_see(client, topic):
    member = make_member()
    make_notifications(member, 2, topic)
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    client.force_login(member)

    response = client.get(reverse("forum:notifications"))

    assert list(response.context["notifications"]) == []
    assert "Descaling" not in response.content.decode()


def test_the_bell_counts_unread_notifications_and_reading_clears_them(client, topic):
    member = make_member()
    make_notifications(member, 3, topic)
    client.force_login(member)
    assert "Notifications: 3 unread" in client.get(reverse("forum:index")).content.decode()

    first = Notification.objects.filter(recipient=member).first()
    client.post(reverse("forum:notifications_read"), {"notification": first.pk})
    assert notifications.unread_count(member) == 2

    response = client.post(reverse("forum:notifications_read"), HTTP_ACCEPT="application/json")
    assert response.json() == {"unread": 0}
    assert "unread" not in client.get(reverse("forum:index")).content.decode().split("notification-bell")[1][:300]


def test_opening_a_notification_marks_it_read_and_leads_to_the_post(client, topic, asker, after_commit):
    post = reply(make_member(), topic, "Citric acid.", after_commit)
    client.force_login(asker)
    row = Notification.objects.get(recipient=asker)

    response = client.get(reverse("forum:open_notification", args=[row.pk]))

    assert response.url == post.get_absolute_url()
    row.refresh_from_db()
    assert row.is_read


def test_nobody_opens_or_marks_someone_elses_notification(client, topic):
    owner, other = make_member(), make_member()
    make_notifications(owner, 1, topic)
    row = Notification.objects.get(recipient=owner)
    client.force_login(other)

    assert client.get(reverse("forum:open_notification", args=[row.pk])).status_code == 404
    client.post(reverse("forum:notifications_read"), {"notification": row.pk})
    row.refresh_from_db()
    assert not row.is_read


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("forum:notifications"))
    assert response.status_code == 302 and "login" in response.url
    assert "notification-bell" not in client.get(reverse("forum:index")).content.decode()
