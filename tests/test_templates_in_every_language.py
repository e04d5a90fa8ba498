"""Every page people see is well-formed HTML in every language, whatever the translators wrote.

Each public page type (and the moderators' pages) is rendered through the test client in every
site language and parsed by html5lib (tests/html_checks.py): a parse error, a duplicated attribute
or an attribute that its element may not have fails the test. The extra "quotes" run uses the
Hebrew catalogue with ASCII quotes added to every translation of this site's catalogue, as a
translator may write them: translated text inside an attribute must stay inside it (see the
comment at the top of templates/base.html).
"""

import re
import uuid
from gettext import GNUTranslations
from pathlib import Path

import html5lib
import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import trans_real
from django.views.defaults import server_error
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from forum import services
from forum.models import Flag, Topic
from forum.services import moderation
from support.models import Ticket
from tests.factories import BROWSER_HEADERS, UserFactory, make_article
from tests.factories.forum import make_category, make_member, make_moderator, make_topic
from tests.html_checks import html_problems
from tests.search_helpers import publish_article
from tests.support.helpers import INLINE

pytestmark = pytest.mark.django_db

#: Added to every translation of this site's catalogue in the "quotes" run: both kinds of ASCII
#: quote, as in the Hebrew catalogue's `כל התוצאות עבור "%s"`. Django's, Wagtail's and allauth's
#: catalogues are left as they are: the real-catalogue runs check them as shipped.
QUOTES = " \"ציטוט\" 'ציטוט'"
OWN_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "he" / "LC_MESSAGES" / "django.mo"
CATALOGUES = [code for code, _name in settings.LANGUAGES] + ["quotes"]
VIDEO_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def own_msgids() -> set[str]:
    """The msgids of this site's catalogue (keys are msgids, (msgid, n) for plural forms and
    "context\x04msgid" with a context)."""
    with OWN_CATALOGUE.open("rb") as catalogue:
        keys = GNUTranslations(catalogue)._catalog
    return {key[0] if isinstance(key, tuple) else key.rpartition("\x04")[2] for key in keys}


def with_quotes(translate, msgids: set[str]):
    """``translate`` (gettext, ngettext, pgettext or npgettext), adding QUOTES to the translation
    of every msgid in ``msgids``."""
    with_context = translate.__name__ in ("pgettext", "npgettext")

    def quoted(*args):
        text = translate(*args)
        if (args[1] if with_context else args[0]) not in msgids:
            return text
        return mark_safe(text + QUOTES) if isinstance(text, SafeData) else text + QUOTES  # noqa: S308 - test text

    return quoted


@pytest.fixture(params=CATALOGUES)
def lang(request, monkeypatch):
    """A site language, active (so reverse() gives its URLs); "quotes" is Hebrew with ASCII
    quotes added to every translation of this site's catalogue."""
    code = "he" if request.param == "quotes" else request.param
    if request.param == "quotes":
        quote_own_translations(monkeypatch)
    translation.activate(code)
    return code


def quote_own_translations(monkeypatch):
    msgids = own_msgids()
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        monkeypatch.setattr(translation._trans, name, with_quotes(getattr(trans_real, name), msgids))


class Pages:
    """Collects rendered pages and their problems; each check names the page it came from."""

    def __init__(self, lang):
        self.lang = lang
        self.problems = []

    def url(self, path: str) -> str:
        return f"/{self.lang}{path}"

    def check(self, label, response, *, status=200, fragment=False, expect=""):
        """Parse ``response``; ``expect`` is a piece of markup that shows the page is in the
        state the label names (a search with results, the vote box after a No, …)."""
        assert response.status_code == status, f"{label}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), label
        html = response.content.decode()
        assert expect in html, f"{label}: {expect!r} is not on the page"
        self.problems += [f"{label}: {problem}" for problem in html_problems(html, fragment=fragment)]
        return html

    def get(self, client, label, path, *, status=200, fragment=False, expect="", **extra):
        response = client.get(path, **extra)
        return self.check(label, response, status=status, fragment=fragment, expect=expect)

    def post(self, client, label, path, data, *, status=200, fragment=False, expect="", **extra):
        response = client.post(path, data, **extra)
        return self.check(label, response, status=status, fragment=fragment, expect=expect)

    def report(self) -> str:
        return "\n".join(self.problems)


def logged_in(user) -> Client:
    client = Client(**BROWSER_HEADERS)
    client.force_login(user)
    return client


def article_with_every_block(lang, capture):
    """An article using every StreamField block, with quotes and ampersands in the editors' text."""
    image = Image.objects.create(title='A "quoted" screenshot', file=get_test_image_file())
    Embed.objects.create(
        hash=get_embed_hash(VIDEO_URL),
        url=VIDEO_URL,
        type="video",
        html='<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" '
        'title="A video" frameborder="0" allowfullscreen></iframe>',
        title="A video",
        width=560,
        height=315,
    )
    body = [
        ("paragraph", '<p>Open <b>Settings</b> &amp; choose <a href="https://example.com/?a=1&amp;b=2">this</a>.</p>'),
        ("heading", {"text": 'Before you "begin"', "level": "h2"}),
        ("paragraph", "<p>First section.</p>"),
        ("heading", {"text": "Set it up", "level": "h2"}),
        ("steps", {"steps": ["<p>Open <b>Settings</b>.</p>", "<p>Choose <i>Network</i>.</p>"]}),
        ("heading", {"text": "Details", "level": "h3"}),
        ("callout", {"kind": "note", "text": "<p>A note.</p>"}),
        ("callout", {"kind": "tip", "text": "<p>Press <code>Ctrl</code>+<code>S</code>.</p>"}),
        ("callout", {"kind": "warning", "text": "<p>Back up first.</p>"}),
        ("code", {"language": "shell", "code": 'echo "<b>quoted</b>" && ls'}),
        ("heading", {"text": "After", "level": "h2"}),
    ]
    #: Added after the import, which takes only blocks it can fingerprint as JSON.
    media = [
        {"type": "image", "value": {"image": image.pk, "caption": 'The "Network" panel', "alt_text": 'A "Net" & more'}},
        {"type": "video", "value": {"video": VIDEO_URL, "caption": "How to connect"}},
    ]
    with capture(execute=True):
        article = make_article(
            'Connect to a "wireless" network & more',
            locale=lang,
            category="network",
            category_title='Network & "Wi-Fi"',
            body=body,
            summary='Join a "network" & stay online.',
            tags=["wifi", 'say "hi"'],
        )
    related = publish_article(capture, "Forget a wireless network", locale=lang, category="network")
    article.related_articles.create(related_page=related)
    article.body = [*article.body.raw_data, *media]
    with capture(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_the_help_center_pages_parse(lang, help_centers, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("kb.models.pages.ARTICLES_PER_PAGE", 1)  # a category with pages
    article = article_with_every_block(lang, django_capture_on_commit_callbacks)
    locked = make_article("A private article", locale=lang, category="network")
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    pages, reader = Pages(lang), Client(**BROWSER_HEADERS)

    pages.get(reader, "home", pages.url("/"), expect='class="search-form')
    category_url = article.get_parent().url
    pages.get(reader, "category", category_url, expect='class="pagination"')
    pages.get(reader, "category, page 2", category_url + "?page=2", expect='class="pagination"')
    pages.get(reader, "article with every block", article.url, expect='class="figure video"')
    password_form = pages.get(reader, "article behind a password", locked.url, expect='type="password"')
    password_url = re.search(r'<form[^>]* action="([^"]+)"', password_form.split("<main", 1)[1])[1]
    pages.post(reader, "article behind a password, wrong password", password_url, {"password": "wrong"})
    search = pages.url("/search/")
    pages.get(reader, "search page", search)
    pages.get(reader, "search with results", search, data={"q": "wireless network"}, expect='class="facets"')
    pages.get(
        reader, "search, filtered", search, data={"q": "wireless", "content_type": "article"}, expect="facets-clear"
    )
    pages.get(reader, "search with no results", search, data={"q": "zzzqqq"}, expect='class="no-results"')
    pages.get(reader, "search with did-you-mean", search, data={"q": "wireles"}, expect='class="did-you-mean"')
    pages.get(reader, "not found", pages.url("/no-such-page/"), status=404, expect="not-found-search")
    pages.check("server error", server_error(RequestFactory().get(pages.url("/"))), status=500)

    assert pages.problems == [], pages.report()


def test_the_vote_box_parses_in_every_state(lang, help_centers, django_capture_on_commit_callbacks):
    article = article_with_every_block(lang, django_capture_on_commit_callbacks)
    pages, reader = Pages(lang), Client(**BROWSER_HEADERS)
    vote = pages.url(f"/support/articles/{article.pk}/vote/")
    no, yes = {"helpful": "no", "revision": article.live_revision_id}, {"helpful": "yes"}

    pages.get(reader, "vote box: ask", article.url, expect='class="vote-question"')
    pages.post(reader, "vote box: why, inline", vote, no, fragment=True, expect='class="vote-why"', **INLINE)
    pages.get(reader, "vote box: why", article.url, expect='class="vote-why"')
    sorry = {**no, "reason": "outdated", "comment": 'Menu "Wi-Fi" & <b>more</b>'}
    pages.post(reader, "vote box: sorry, inline", vote, sorry, fragment=True, expect='class="vote-offers"', **INLINE)
    pages.get(reader, "vote box: sorry", article.url, expect='class="vote-offers"')
    pages.post(reader, "vote box: thanks, inline", vote, yes, fragment=True, expect='value="no"', **INLINE)
    pages.get(reader, "vote box: thanks", article.url, expect='class="vote-change"')
    invalid = {"helpful": "maybe", "comment": "x" * 2000}
    pages.post(
        reader, "vote box: invalid, inline", vote, invalid, status=400, fragment=True, expect="vote-errors", **INLINE
    )
    visit = uuid.uuid4().hex
    pages.get(reader, "vote box: from the contact form", f"{article.url}?from_contact={visit}", expect="solved-box")
    solved = pages.url(f"/support/articles/{article.pk}/solved/")
    pages.post(reader, "vote box: solved, inline", solved, {"from_contact": visit}, fragment=True, **INLINE)

    assert pages.problems == [], pages.report()


def test_the_contact_pages_parse(lang, help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Connect to a wireless network", locale=lang)
    pages, reader = Pages(lang), Client(**BROWSER_HEADERS)
    contact = pages.url("/support/contact/")

    form = pages.get(reader, "contact form", contact, expect='name="subject"')
    visit = re.search(r'name="visit" value="([^"]+)"', form)[1]
    typed = {"visit": visit, "subject": 'My "wireless" network', "description": "It drops & reconnects."}
    suggestions = pages.url("/support/contact/suggestions/")
    pages.get(reader, "contact suggestions, inline", suggestions, data=typed, fragment=True, expect="<a")
    pages.get(reader, "contact suggestions for nothing, inline", suggestions, data={"visit": visit}, fragment=True)
    first = {**typed, "find_articles": "1", "email": "reader@example.com"}
    pages.post(reader, "contact form, find articles first", contact, first, expect='name="subject"')
    pages.post(reader, "contact form with errors", contact, {"visit": visit}, status=400, expect="errorlist")
    sent = reader.post(contact, {**typed, "email": "reader@example.com"})
    ticket = Ticket.objects.get()
    pages.get(reader, "contact thanks", sent["Location"], expect=ticket.reference)
    pages.get(Client(**BROWSER_HEADERS), "contact thanks in another browser", sent["Location"])

    assert pages.problems == [], pages.report()


@pytest.fixture
def forum(lang, django_capture_on_commit_callbacks, monkeypatch):
    """A category with a few topics, one a question with replies, votes, an accepted answer, an
    edit, a mention and notifications; names and titles carry quotes and ampersands."""
    monkeypatch.setattr("forum.views.browsing.TOPICS_PER_PAGE", 1)  # a category with pages
    asker = make_member(display_name='Asha "the asker" & co')
    helper = make_member(display_name="Hamid <helper>")
    category = make_category('Coffee & "tea"', description='Brewing "tips" & tricks')
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(
            asker,
            category=category,
            title='Why is my "espresso" sour & thin?',
            body="It tastes **sour**.\n\n> A quote & a [link](https://example.com/?a=1&b=2)",
            language=lang,
            tags=["espresso"],
        )
        answer = services.reply(helper, topic, 'Grind finer, @[Asha "the asker" & co].')
        services.reply(asker, topic, "Thanks, that worked!")
        services.vote(asker, answer)
        services.accept_answer(asker, answer)
        services.edit_post(helper, answer, "Grind finer and tamp evenly.")
    make_topic("Milk frothing", category=category, posts=45, language=lang)
    return {"asker": asker, "helper": helper, "category": category, "topic": topic, "answer": answer}


def test_the_forum_pages_parse_for_readers_and_members(lang, forum):
    topic, answer, asker = forum["topic"], forum["answer"], forum["asker"]
    big_topic = Topic.objects.get(title="Milk frothing")
    pages, reader, member = Pages(lang), Client(**BROWSER_HEADERS), logged_in(asker)
    similar = {"q": "espresso sour", "visit": uuid.uuid4().hex}
    fragment = reverse("forum:post_fragment", args=[topic.pk, answer.pk])

    for who, client in (("reader", reader), ("member", member)):
        pages.get(client, f"forum index, {who}", pages.url("/forum/"), expect="Coffee")
        pages.get(client, f"forum category, {who}", forum["category"].get_absolute_url())
        pages.get(client, f"forum category page 2, {who}", forum["category"].get_absolute_url() + "?page=2")
        pages.get(client, f"topic with replies, {who}", topic.get_absolute_url(), expect="is-accepted")
        pages.get(client, f"long topic, page 2, {who}", big_topic.get_absolute_url() + "?page=2", expect="pagination")
        pages.get(client, f"member page, {who}", reverse("forum:member", args=[forum["helper"].pk]))
        pages.get(client, f"similar topics, inline, {who}", reverse("forum:similar"), data=similar, fragment=True)
        pages.get(client, f"post, inline, {who}", fragment, fragment=True, expect="post-body")
        accepted = f"{fragment}?section=accepted"
        pages.get(client, f"accepted answer, inline, {who}", accepted, fragment=True)
    pages.get(member, "ask page", reverse("forum:new_topic"), expect="data-similar-url")
    pages.post(member, "ask page with errors", reverse("forum:new_topic"), {"title": "?"}, status=400)
    pages.post(member, "reply with errors", reverse("forum:reply", args=[topic.pk]), {"body": ""}, status=400)
    opening, own_reply = topic.posts.get(position=1), topic.posts.get(position=3)
    pages.get(member, "edit post", reverse("forum:edit_post", args=[opening.pk]), expect="data-editor")
    pages.get(member, "delete post", reverse("forum:delete_post", args=[own_reply.pk]))
    pages.get(member, "flag post", reverse("forum:flag", args=[answer.pk]))
    pages.post(member, "flag post with errors", reverse("forum:flag", args=[answer.pk]), {}, status=400)
    pages.get(member, "notifications", reverse("forum:notifications"), expect="notification is-unread")
    pages.post(member, "preview, inline", reverse("forum:preview"), {"body": '**bold** & "quotes"'}, fragment=True)
    pages.get(member, "moderation refused to a member", reverse("forum:moderation_queue"), status=403)

    assert pages.problems == [], pages.report()


def test_the_moderation_pages_parse_for_a_moderator(lang, forum, settings):
    topic, answer = forum["topic"], forum["answer"]
    moderator, newcomer = make_moderator(display_name='Mona "mod"'), make_member(display_name="Nima")
    moderation.flag_post(forum["asker"], answer, Flag.Reason.SPAM, note='Looks like "spam" & ads')
    settings.FORUM_HOLD_FIRST_POSTS = 1
    services.reply(newcomer, topic, "A first post waiting for approval.")
    moderation.lock_topic(moderator, topic, reason='Solved & "done"')
    pages, client = Pages(lang), logged_in(moderator)

    pages.get(client, "moderation queue", reverse("forum:moderation_queue"), expect="Looks like")
    pages.get(client, "moderation log", reverse("forum:moderation_log"), expect="done")
    pages.get(client, "topic, moderator", topic.get_absolute_url(), expect="is-accepted")
    pages.get(client, "post history", reverse("forum:post_history", args=[answer.pk]), expect="tamp evenly")
    pages.get(client, "move topic", reverse("forum:move_topic", args=[topic.pk]))
    pages.get(client, "merge topic", reverse("forum:merge_topic", args=[topic.pk]))
    pages.post(client, "merge topic with errors", reverse("forum:merge_topic", args=[topic.pk]), {}, status=400)
    pages.get(client, "suspend member", reverse("forum:suspend_member", args=[newcomer.pk]))
    suspend = reverse("forum:suspend_member", args=[newcomer.pk])
    pages.post(client, "suspend member with errors", suspend, {"until": "never"}, status=400)
    pages.get(client, "member page, moderator", reverse("forum:member", args=[newcomer.pk]))

    assert pages.problems == [], pages.report()


def test_the_account_pages_parse(lang, db):
    member = UserFactory(display_name='Dana "D" & co')
    pages, visitor = Pages(lang), Client(**BROWSER_HEADERS)
    accounts = pages.url("/accounts/")

    pages.get(visitor, "log in", accounts + "login/", expect='type="password"')
    pages.post(visitor, "log in with errors", accounts + "login/", {"login": member.email, "password": "no"})
    pages.get(visitor, "sign up", accounts + "signup/", expect='type="password"')
    pages.post(visitor, "sign up with errors", accounts + "signup/", {"email": "not an address"})
    pages.get(visitor, "password reset", accounts + "password/reset/")
    pages.post(visitor, "password reset with errors", accounts + "password/reset/", {"email": "x"})
    pages.get(visitor, "password reset sent", accounts + "password/reset/done/")
    pages.get(visitor, "bad password reset key", accounts + "password/reset/key/1-x/")
    pages.get(visitor, "email confirmation sent", accounts + "confirm-email/")
    pages.get(visitor, "bad email confirmation", accounts + "confirm-email/not-a-key/")
    pages.get(visitor, "inactive account", accounts + "inactive/")
    signed_in = logged_in(member)
    pages.get(signed_in, "profile", accounts + "profile/", expect='name="display_name"')
    pages.post(signed_in, "profile with errors", accounts + "profile/", {"display_name": ""}, status=400)
    pages.get(signed_in, "email addresses", accounts + "email/")
    pages.get(signed_in, "password change", accounts + "password/change/")
    pages.get(signed_in, "log out", accounts + "logout/")

    assert pages.problems == [], pages.report()


def test_a_quote_in_a_translated_attribute_stays_inside_it(client, help_centers):
    """The original bug: the Hebrew catalogue's `כל התוצאות עבור "%s"` ended the attribute early."""
    with translation.override("he"):
        label = translation.gettext("See all results for “%%s”")
    assert '"' in label, "the Hebrew translation no longer has ASCII quotes: pick another example"

    html = client.get("/he/", **BROWSER_HEADERS).content.decode()

    document = html5lib.parse(html, namespaceHTMLElements=False)
    form = document.find(".//form[@role='search']")
    assert form.get("data-suggest-see-all-label") == label.replace("%%", "%")
    assert html_problems(html) == []


def test_quotes_added_to_translations_stay_inside_their_attributes(client, help_centers, monkeypatch):
    quote_own_translations(monkeypatch)

    html = client.get("/he/", **BROWSER_HEADERS).content.decode()

    document = html5lib.parse(html, namespaceHTMLElements=False)
    form = document.find(".//form[@role='search']")
    attributes = [
        form.get("data-suggest-see-all-label"),
        form.find(".//input[@type='search']").get("placeholder"),
        document.find(".//nav[@class='footer-links']").get("aria-label"),
        document.find(".//body").get("data-copy-label"),
    ]
    assert all(value.endswith(QUOTES) for value in attributes), attributes


@pytest.mark.parametrize(
    "body, problem",
    [
        ('<form data-label="כל התוצאות עבור "%s"">', "parse error unexpected-character-after-attribute-value"),
        ('<nav aria-label="x" class="a" class="b">', "parse error duplicate-attribute"),
        ('<nav aria-label="x" labell="y">', "<nav> has an attribute it may not have: 'labell'"),
        ('<input data-suggest_label="x">', "<input> has an attribute it may not have: 'data-suggest_label'"),
        ("<p>Text <ul><li>item</li></ul></p>", "parse error unexpected-end-tag"),
        ("<blink>old</blink>", "unknown element <blink>"),
    ],
)
def test_the_html_check_reports_what_a_browser_would_silently_repair(body, problem):
    html = f'<!DOCTYPE html><html lang="he"><head><title>A page</title></head><body>{body}</body></html>'

    assert problem in "\n".join(html_problems(html))


def test_the_html_check_accepts_a_well_formed_page():
    html = (
        '<!DOCTYPE html><html lang="he" dir="rtl"><head><meta charset="utf-8"><title>A page</title></head><body>'
        '<nav aria-label="כל התוצאות עבור &quot;%s&quot;" data-suggest-list-label="x"><a href="/he/">בית</a></nav>'
        '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 7h16"/></svg></body></html>'
    )

    assert html_problems(html) == []
