from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.text import slugify
from django.utils.translation import get_language

from kb.visibility import visible_pages
from sitewide.reader import reader_of

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One link per site language for the switcher.

    On a page, each link leads to that page's translation (one query for all of them); where a
    language has no translation the link leads to that language's help-center home and says so.
    Elsewhere (accounts, search) the same URL is given in the other language's prefix.
    """
    request = context["request"]
    current = get_language()
    translations = {}
    if page is not None and getattr(page, "pk", None):
        for translation in visible_pages(page.get_translations(inclusive=True), reader_of(request)).select_related(
            "locale"
        ):
            translations[translation.locale.language_code] = translation.get_url(request)
    links = []
    for code, _name in settings.LANGUAGES:
        if page is not None and getattr(page, "pk", None):
            url, exact = translations.get(code), code in translations
            url = url or f"/{code}/"
        else:
            url, exact = translate_url(request.get_full_path(), code), True
        links.append(
            {
                "code": code,
                "name": settings.LANGUAGE_NATIVE_NAMES.get(code, code),
                "url": url,
                "current": code == current,
                "exact": exact,
            }
        )
    return links


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
