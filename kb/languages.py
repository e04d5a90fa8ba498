"""Which language a section of the help center is shown in when its own language has no articles.

A site language can exist before anyone has written in it (Hebrew in the demo). Rather than an
empty page, the help-center home, a topic and the feeds of such a language show the articles of
the first language in its fallback order that has some, and say so. The order is
``settings.LANGUAGE_FALLBACKS`` (a language not listed falls back to ``LANGUAGE_CODE``).

"Has articles" is decided per reader with kb.visibility: a private or unpublished article never
makes a language count as having content for someone who may not open it, and a fallback is
only chosen where the reader can see what it would show. The functions take the section's
articles as a queryset (every article, or the articles of one topic's translations), so this
module needs no model of its own and the models can call it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language_info
from wagtail.models import Locale

from kb.visibility import visible_pages


def fallback_order(language: str) -> list[str]:
    """``language`` and then the languages it falls back to, each once, site languages only."""
    site_languages = dict(settings.LANGUAGES)
    fallbacks = getattr(settings, "LANGUAGE_FALLBACKS", {}).get(language, [settings.LANGUAGE_CODE])
    return [code for code in dict.fromkeys([language, *fallbacks]) if code in site_languages]


def languages_with_articles(articles: QuerySet, reader, languages=None) -> set[str]:
    """The languages (of ``languages``, default all) in which ``reader`` may see one of ``articles``.

    One query, one ``EXISTS`` per language that stops at the first visible article.
    """
    visible = visible_pages(articles, reader).filter(locale=OuterRef("pk"))
    locales = Locale.objects.filter(Exists(visible))
    if languages is not None:
        locales = locales.filter(language_code__in=list(languages))
    return set(locales.values_list("language_code", flat=True))


def content_language(articles: QuerySet, language: str, reader) -> str | None:
    """The first of ``language`` and its fallbacks in which ``reader`` may see one of ``articles``.

    ``language`` itself when it has any; None when no language of its order has any.
    """
    order = fallback_order(language)
    available = languages_with_articles(articles, reader, order)
    return next((code for code in order if code in available), None)


@dataclass(frozen=True)
class Fallback:
    """What a page says when it shows another language's articles (``None`` when it does not)."""

    #: The page's own language, which has no articles for this reader.
    language: str
    #: The language whose articles are shown instead.
    shown: str

    @property
    def language_name(self) -> str:
        """The page's language, named in the interface language."""
        return get_language_info(self.language)["name_translated"]

    @property
    def shown_name(self) -> str:
        return get_language_info(self.shown)["name_translated"]

    @property
    def shown_dir(self) -> str:
        """The text direction of the shown articles (English inside a Hebrew page is ltr)."""
        return "rtl" if get_language_info(self.shown)["bidi"] else "ltr"


def fallback_for(articles: QuerySet, language: str, reader) -> Fallback | None:
    """The fallback a section in ``language`` needs: None when it has articles or no fallback has any."""
    shown = content_language(articles, language, reader)
    if shown is None or shown == language:
        return None
    return Fallback(language=language, shown=shown)
