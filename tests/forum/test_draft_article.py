"""Staff turn a solved topic into a draft help article (unpublished, for an editor to finish)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from forum import services
from kb.models import ArticlePage, CategoryPage
from tests.factories import make_article
from tests.factories.forum import make_member, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    user = make_member(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def solved():
    topic = make_topic("How do I reset the grinder?", posts=1, body="It jams after cleaning.")
    answer = services.reply(make_member(), topic, "Hold **both** buttons for five seconds.")
    services.accept_answer(topic.author, answer)
    topic.refresh_from_db()
    return topic


def test_staff_get_an_unpublished_draft_and_land_in_its_editor(client, help_centers, staff, solved):
    client.force_login(staff)
    response = client.post(reverse("forum:draft_article", args=[solved.pk]))
    article = ArticlePage.objects.get(title="How do I reset the grinder?")
    assert response.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not article.live and article.locale.language_code == "en"
    assert article.summary.startswith("It jams after cleaning.")
    body = str(article.body)
    assert "<strong>both</strong>" in body
    assert article.get_parent().slug == "community-answers" and not article.get_parent().live


def test_the_draft_goes_beside_the_article_the_answer_links(client, help_centers, staff):
    linked = make_article("Grinder basics", category="grinders", category_title="Grinders")
    topic = make_topic("Grinder jams again", posts=1)
    answer = services.reply(make_member(), topic, f"See [basics]({linked.url}).")
    services.accept_answer(topic.author, answer)
    client.force_login(staff)
    client.post(reverse("forum:draft_article", args=[topic.pk]))
    draft = ArticlePage.objects.get(title="Grinder jams again")
    assert draft.get_parent().specific == CategoryPage.objects.get(slug="grinders")


def test_asking_twice_returns_the_same_draft(client, help_centers, staff, solved):
    client.force_login(staff)
    first = client.post(reverse("forum:draft_article", args=[solved.pk])).url
    second = client.post(reverse("forum:draft_article", args=[solved.pk])).url
    assert first == second and ArticlePage.objects.filter(title=solved.title).count() == 1


def test_members_cannot_draft_articles(client, help_centers, solved):
    client.force_login(solved.author)
    assert client.post(reverse("forum:draft_article", args=[solved.pk])).status_code == 403
    assert not ArticlePage.objects.filter(title=solved.title).exists()


def test_an_unsolved_topic_cannot_become_an_article(client, help_centers, staff):
    client.force_login(staff)
    response = client.post(reverse("forum:draft_article", args=[make_topic().pk]))
    assert response.status_code == 400
