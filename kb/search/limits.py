"""Limits the search service and its engines agree on."""

#: Engines may stop counting matches past this many and report COUNT_LIMIT + 1, which the
#: search page shows as "more than 1,000 results". No reader pages past result 1,000.
COUNT_LIMIT = 1000
