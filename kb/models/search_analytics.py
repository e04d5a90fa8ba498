"""What readers search for and which results they open, for the staff search reports.

One :class:`SearchEvent` row per search and one :class:`SearchClick` row per result opened. The
event also carries ``click_count``, a counter bumped with ``F() + 1`` in the same transaction as
each click row: the reports then group events alone (one GROUP BY, no join that would multiply
rows and skew averages), while the click rows keep which result, at which rank, was opened.

A reader is identified only by ``visitor_id``, a random id from a first-party cookie
(sitewide.visitor): never an IP address, a user id or anything derived from them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Queries are stored as searched: the search service's clean_query() already cuts them here.
MAX_QUERY_LENGTH = 300
#: Stored click targets are cut here (they are paths on this site).
MAX_URL_LENGTH = 500


def normalize_query(query: str) -> str:
    """The grouping key of a query: case-folded, whitespace collapsed, bounded."""
    return " ".join(str(query or "").casefold().split())[:MAX_QUERY_LENGTH]


class SearchEvent(models.Model):
    """One search: what was asked, in which language, from where, and how many results it found.

    Paging through or filtering the results of a query is the same search (kb.search.analytics
    reuses the event), so "searches" counts questions asked, not result pages viewed.
    """

    class Source(models.TextChoices):
        PAGE = "page", _("Search page")
        SUGGEST = "suggest", _("Typeahead suggestions")

    #: The query as searched (the output of clean_query).
    query = models.CharField(_("query"), max_length=MAX_QUERY_LENGTH)
    #: normalize_query(query): "Reset Password" and "reset  password" count as one query.
    normalized_query = models.CharField(_("normalised query"), max_length=MAX_QUERY_LENGTH, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PAGE)
    result_count = models.PositiveIntegerField(_("results"), default=0)
    #: Nothing matched in the reader's language, so the results came from other languages.
    fell_back = models.BooleanField(_("fell back to other languages"), default=False)
    #: The random first-party visitor id (sitewide.visitor), 32 hex digits.
    visitor_id = models.CharField(_("visitor"), max_length=32)
    #: Results opened from this search; bumped with F() alongside each SearchClick row.
    click_count = models.PositiveIntegerField(_("clicks"), default=0)
    created_at = models.DateTimeField(_("searched at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search event")
        verbose_name_plural = _("search events")
        # Nobody adds or edits events by hand; "view" is the permission that opens the reports.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["visitor_id", "created_at"], name="kb_search_visitor_recent")]

    def __str__(self):
        return f"{self.query!r} ({self.language}, {self.result_count} results)"


class SearchClick(models.Model):
    """A reader opened the result at ``rank`` (1 = first result) of a search."""

    event = models.ForeignKey(SearchEvent, on_delete=models.CASCADE, related_name="clicks")
    url = models.CharField(_("URL"), max_length=MAX_URL_LENGTH)
    rank = models.PositiveIntegerField(_("rank"))
    created_at = models.DateTimeField(_("clicked at"), default=timezone.now)

    class Meta:
        verbose_name = _("search result click")
        verbose_name_plural = _("search result clicks")
        default_permissions = ()

    def __str__(self):
        return f"#{self.rank} {self.url}"
