"""Support figures, each a query over the event log (support.models.Event) and kb's search log.

Nothing here keeps a counter: every figure is computed for a period [since, until) from the rows
that record what readers, customers and agents did. The reports (support.reports), the dashboard
panel and ``manage.py support_report`` all call these functions, so they always agree. Each
submodule's docstring states its rules exactly.
"""

from support.metrics.articles import (
    MIN_RANKED_VOTES,
    PRIOR_VOTES,
    READ_TO_TICKET_WINDOW,
    ArticleFigures,
    HelpfulnessExtremes,
    article_figures,
    bayesian_average,
    helpfulness_extremes,
    rank,
    ranking,
)
from support.metrics.deflection import Deflection, DeflectionRow, deflection
from support.metrics.gaps import (
    DEAD_END_WINDOW,
    MAX_GAP_TICKETS,
    SubjectGaps,
    dead_end_queries,
    queries_without_results,
    subjects_without_article,
)
from support.metrics.period import BUCKETS, DEFAULT_DAYS, Period
from support.metrics.response_times import (
    Durations,
    ResponseTimes,
    format_duration,
    response_times,
    ticket_durations,
)
from support.metrics.self_service import SelfService, SelfServiceRow, self_service

__all__ = [
    "BUCKETS",
    "DEAD_END_WINDOW",
    "DEFAULT_DAYS",
    "MAX_GAP_TICKETS",
    "MIN_RANKED_VOTES",
    "PRIOR_VOTES",
    "READ_TO_TICKET_WINDOW",
    "ArticleFigures",
    "Deflection",
    "DeflectionRow",
    "Durations",
    "HelpfulnessExtremes",
    "Period",
    "ResponseTimes",
    "SelfService",
    "SelfServiceRow",
    "SubjectGaps",
    "article_figures",
    "bayesian_average",
    "dead_end_queries",
    "deflection",
    "format_duration",
    "helpfulness_extremes",
    "queries_without_results",
    "rank",
    "ranking",
    "response_times",
    "self_service",
    "subjects_without_article",
    "ticket_durations",
]
