from django import template
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import translate_url
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from wagtail.models import Page

from kb.models import ArticlePage, HelpCenterPage
from kb.search.result_types import result_type_label as registered_label
from kb.visibility import is_public, visible_pages
from sitewide.addresses import absolute_url
from sitewide.reader import reader_of

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One link per site language for the switcher, saying where each leads.

    On a help-center page each link leads to that page's translation, or, where there is none the
    reader may see, to that language's help-center home. Each link then carries a ``note`` shown
    beside the language's name: "no articles yet" for a language in which the reader may see no
    article at all (its home shows a fallback language's, kb.languages), else "not translated" for
    a language without this page. ``exact`` is True for a real translation only. One query for
    all of it, whatever the number of languages.

    Elsewhere (accounts, search, the forum) the same URL is given in the other language's prefix,
    without notes: those pages exist in every language.

    ``alternate`` marks the links that are the page's hreflang alternates (:func:`hreflang_links`),
    which crawlers follow, so only ever public addresses: on a help-center page, the translations
    a visitor with no session may open, and none at all when the page itself is not public;
    elsewhere, every language for an anonymous reader (what a reader with no account is shown is
    public) and none for a signed-in one, whose page may be theirs alone (a ticket, a topic in a
    restricted category).
    """
    request = context["request"]
    current = get_language()
    on_a_page = page is not None and getattr(page, "pk", None)
    if on_a_page:
        translations, homes, with_articles, public = _page_languages(page, request)
    else:
        translations, homes, with_articles, public = {}, {}, set(), {}
    links = []
    for code, _name in settings.LANGUAGES:
        note = ""
        if on_a_page:
            url, exact = translations.get(code) or homes.get(code) or f"/{code}/", code in translations
            if code not in with_articles:
                note = gettext("no articles yet")
            elif not exact:
                note = gettext("not translated")
            alternate = code in public and page.pk in public.values()
        else:
            url, exact = translate_url(request.get_full_path(), code), True
            user = getattr(request, "user", None)
            alternate = user is not None and not user.is_authenticated
        links.append(
            {
                "code": code,
                "name": settings.LANGUAGE_NATIVE_NAMES.get(code, code),
                "url": url,
                "current": code == current,
                "exact": exact,
                "alternate": alternate,
                "note": note,
            }
        )
    return links


@register.simple_tag
def hreflang_links(languages):
    """The page's <link rel="alternate" hreflang> entries from :func:`language_links`: each
    alternate language (the page's own among them), then ``x-default``, the ``LANGUAGE_CODE``
    version, when there is one. Absolute URLs on the configured base URL (sitewide.addresses)."""
    alternates = [(link["code"], absolute_url(link["url"])) for link in languages if link["alternate"]]
    default = dict(alternates).get(settings.LANGUAGE_CODE)
    return [*alternates, ("x-default", default)] if default else alternates


def _page_languages(page, request) -> tuple[dict, dict, set, dict]:
    """The URLs of the page's visible translations and of every visible help-center home, by
    language, the languages in which the reader may see an article, and the ids of the page's
    public translations by language: one query."""
    reader = reader_of(request)
    has_articles = Exists(visible_pages(ArticlePage.objects.all(), reader).filter(locale_id=OuterRef("locale_id")))
    translations_and_homes = Page.objects.filter(
        Q(translation_key=page.translation_key) | Q(pk__in=HelpCenterPage.objects.values("pk"))
    )
    pages = (
        visible_pages(translations_and_homes, reader)
        .annotate(has_articles=has_articles, is_public=is_public())
        .select_related("locale")
    )
    translations, homes, with_articles, public = {}, {}, set(), {}
    for found in pages:
        code = found.locale.language_code
        if found.translation_key == page.translation_key:
            translations[code] = found.get_url(request)
            if found.is_public:
                public[code] = found.pk
        else:
            homes[code] = found.get_url(request)
        if found.has_articles:
            with_articles.add(code)
    return translations, homes, with_articles, public


@register.simple_tag
def anchor_for(anchors, block_id, text):
    """The table-of-contents anchor of a heading block (falls back to a slug outside an article)."""
    return (anchors or {}).get(block_id) or slugify(text, allow_unicode=True)


@register.simple_tag
def page_range(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link to around ``page_obj``, with ``Paginator.ELLIPSIS`` for the gaps.

    Django's ``get_elided_page_range`` takes arguments, so templates cannot call it directly.
    """
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` for dictionaries keyed by a variable."""
    return (mapping or {}).get(key)


@register.filter
def multiply(value, factor):
    try:
        return int(value) * int(factor)
    except (TypeError, ValueError):
        return 0


@register.filter
def result_type_label(result_type):
    """The label a higher app registered for its search result type, or "" (kb.search.result_types)."""
    return registered_label(result_type)
