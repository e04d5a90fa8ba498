"""'Did this solve your problem?': one vote per reader per article revision, changeable, bot-free."""

import pytest
from django.test import Client

from kb.models import ArticlePage
from sitewide.visitor import VISITOR_COOKIE
from support.models import ArticleVote, Event
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.support.helpers import CRAWLER, INLINE, a_reader, vote_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(help_centers):
    return make_article("Connect to a wireless network")


def test_a_reader_sees_the_question_on_every_article(article):
    response = a_reader().get(article.url)

    html = response.content.decode()
    assert "Did this solve your problem?" in html
    assert f'action="{vote_url(article)}"' in html
    assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html
    assert "<fieldset" in html and "<legend>" in html


def test_yes_without_javascript_stores_a_vote_and_thanks_the_reader(article):
    reader = a_reader()
    reader.get(article.url)

    response = reader.post(vote_url(article), {"helpful": "yes", "revision": article.live_revision_id})

    assert response.status_code == 302 and response["Location"] == article.url + "#article-vote"
    vote = ArticleVote.objects.get()
    assert vote.helpful and vote.article_id == article.pk and vote.revision_id == article.live_revision_id
    assert vote.voter_key == f"visitor:{reader.cookies[VISITOR_COOKIE].value}"
    assert "Thanks for your feedback!" in reader.get(article.url).content.decode()


def test_no_asks_why_and_then_offers_related_articles_the_forum_and_contact(article, help_centers):
    related = make_article("Forget a wireless network")
    article.related_articles.create(related_page=related)
    article.save_revision().publish()
    reader = a_reader()

    reader.post(vote_url(article), {"helpful": "no"})
    asking = reader.get(article.url).content.decode()
    reader.post(vote_url(article), {"helpful": "no", "reason": "outdated", "comment": "Menu names changed."})
    answered = reader.get(article.url).content.decode()

    assert "What was wrong with this article?" in asking and 'value="outdated"' in asking
    assert "Forget a wireless network" in asking
    assert 'data-next-step="forum:index" href="/en/forum/"' in asking
    assert 'data-next-step="support:contact" href="/en/support/contact/"' in asking
    vote = ArticleVote.objects.get()
    assert (vote.helpful, vote.reason, vote.comment) == (False, "outdated", "Menu names changed.")
    assert "Thanks for telling us" in answered and "Forget a wireless network" in answered
    assert 'data-next-step="support:contact"' in answered


def test_changing_the_answer_updates_the_vote_instead_of_adding_one(article):
    reader = a_reader()

    reader.post(vote_url(article), {"helpful": "no", "reason": "unclear", "comment": "Too short"})
    reader.post(vote_url(article), {"helpful": "yes"})

    vote = ArticleVote.objects.get()
    assert vote.helpful and vote.reason == "" and vote.comment == ""
    assert list(Event.objects.filter(kind=Event.Kind.VOTED).values_list("data__helpful", "data__changed")) == [
        (False, False),
        (True, True),
    ]


def test_a_new_revision_of_the_article_collects_a_new_vote_from_the_same_reader(article):
    reader = a_reader()
    reader.post(vote_url(article), {"helpful": "no", "reason": "outdated"})

    article.title = "Connect to a wireless network (updated)"
    article.save_revision().publish()
    article.refresh_from_db()
    reader.post(vote_url(article), {"helpful": "yes", "revision": article.live_revision_id})

    assert list(ArticleVote.objects.order_by("pk").values_list("helpful", flat=True)) == [False, True]
    assert ArticleVote.objects.filter(revision_id=article.live_revision_id).get().helpful


def test_a_vote_counts_for_the_revision_the_reader_read_even_if_a_new_one_was_published_since(article):
    read_revision = article.live_revision_id
    article.save_revision().publish()

    a_reader().post(vote_url(article), {"helpful": "yes", "revision": read_revision})

    assert ArticleVote.objects.get().revision_id == read_revision


def test_a_revision_of_another_page_is_not_accepted(article, help_centers):
    other = make_article("Set up a printer")

    a_reader().post(vote_url(article), {"helpful": "yes", "revision": other.live_revision_id})

    assert ArticleVote.objects.get().revision_id == article.live_revision_id


def test_two_anonymous_readers_each_have_their_own_vote(article):
    a_reader().post(vote_url(article), {"helpful": "yes"})
    a_reader().post(vote_url(article), {"helpful": "no"})

    assert ArticleVote.objects.count() == 2


def test_a_logged_in_reader_votes_as_themselves_on_any_browser(article):
    user = UserFactory()
    laptop, phone = Client(**BROWSER_HEADERS), Client(**BROWSER_HEADERS)
    laptop.force_login(user)
    phone.force_login(user)

    laptop.post(vote_url(article), {"helpful": "no", "reason": "incorrect"})
    phone.post(vote_url(article), {"helpful": "yes"})

    vote = ArticleVote.objects.get()
    assert vote.voter_key == f"user:{user.pk}" and vote.user == user and vote.helpful


def test_known_bots_do_not_vote(article):
    Client(HTTP_USER_AGENT=CRAWLER).post(vote_url(article), {"helpful": "no"})
    Client().post(vote_url(article), {"helpful": "no"})

    assert not ArticleVote.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.VOTED).exists()


def test_no_ip_address_is_stored_with_a_vote(article):
    a_reader().post(vote_url(article), {"helpful": "no", "reason": "other"}, REMOTE_ADDR="203.0.113.77")

    stored = [str(value) for value in ArticleVote.objects.values().get().values()]
    stored += [str(value) for value in Event.objects.values().get(kind=Event.Kind.VOTED).values()]
    assert not any("203.0.113.77" in value for value in stored)


def test_the_vote_is_recorded_as_an_event_with_its_answer_and_reason(article):
    reader = a_reader()

    reader.post(vote_url(article), {"helpful": "no", "reason": "doesnt_apply"})

    event = Event.objects.get(kind=Event.Kind.VOTED)
    assert event.article_id == article.pk and event.flow == "article"
    assert event.data == {
        "helpful": False,
        "reason": "doesnt_apply",
        "revision": article.live_revision_id,
        "changed": False,
    }
    assert event.visitor_id == reader.cookies[VISITOR_COOKIE].value


def test_an_inline_vote_answers_with_the_boxs_new_state_only(article):
    response = a_reader().post(vote_url(article), {"helpful": "no"}, **INLINE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="article-vote"')
    assert "What was wrong with this article?" in html and "<html" not in html
    assert ArticleVote.objects.get().helpful is False


def test_a_comment_over_1000_characters_is_refused_and_nothing_is_stored(article):
    reader = a_reader()

    plain = reader.post(vote_url(article), {"helpful": "no", "comment": "x" * 1001})
    inline = reader.post(vote_url(article), {"helpful": "no", "comment": "x" * 1001}, **INLINE)

    assert plain.status_code == 302
    assert inline.status_code == 400 and "at most 1000 characters" in inline.content.decode()
    assert not ArticleVote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"helpful": "maybe"}, {"helpful": "no", "reason": "<script>"}, {"helpful": "yes", "revision": "x" * 50}],
)
def test_a_malformed_vote_is_refused_without_an_error_page(article, data):
    response = a_reader().post(vote_url(article), data)

    assert response.status_code == 302
    assert not ArticleVote.objects.exists()


def test_null_bytes_and_bidi_controls_in_a_comment_are_handled(article):
    reader = a_reader()

    refused = reader.post(vote_url(article), {"helpful": "no", "comment": "bad\x00byte"})
    reader.post(vote_url(article), {"helpful": "no", "reason": "other", "comment": "evil\u202etxt.exe"})

    assert refused.status_code == 302
    assert ArticleVote.objects.get().comment == "eviltxt.exe"


def test_votes_need_the_csrf_token(article):
    strict = Client(enforce_csrf_checks=True, **BROWSER_HEADERS)

    response = strict.post(vote_url(article), {"helpful": "yes"})

    assert response.status_code == 403
    assert not ArticleVote.objects.exists()


def test_a_vote_on_a_missing_or_unpublished_article_is_not_found(article):
    article.unpublish()

    assert a_reader().post(vote_url(article), {"helpful": "yes"}).status_code == 404
    assert a_reader().post("/en/support/articles/999999/vote/", {"helpful": "yes"}).status_code == 404
    assert a_reader().get(vote_url(article)).status_code == 405


def test_a_vote_post_runs_a_bounded_number_of_queries(article, django_assert_max_num_queries):
    reader = a_reader()
    reader.get(article.url)

    # The article and its privacy check (3), update_or_create's select + insert in savepoints (7),
    # the VOTED event in its savepoint (3), the site root for the redirect URL (1): 14, and one spare.
    with django_assert_max_num_queries(15):
        reader.post(vote_url(article), {"helpful": "yes", "revision": article.live_revision_id})


def test_an_editors_preview_shows_no_vote_box(article, help_centers):
    draft = ArticlePage(title="A draft not saved yet", slug="draft", locale=article.locale)
    draft.set_url_path(article.get_parent())

    saved = article.make_preview_request()
    unsaved = draft.make_preview_request()

    assert saved.status_code == unsaved.status_code == 200
    assert 'id="article-vote"' not in saved.rendered_content + unsaved.rendered_content
