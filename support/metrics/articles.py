"""Per-article figures: views, votes, helpfulness, resolutions, tickets after reading, and a ranking.

Rules, as implemented (queries over support.models.Event in the period):

* **Views**: ARTICLE_VIEWED events.
* **Votes**: VOTED events, one per voter and article: a voter's latest answer in the period
  counts (changing a vote, or voting again on a new revision, replaces the earlier one). A
  voter is the logged-in user, else the visitor id. **Helpfulness** = yes ÷ votes.
* **Resolutions** = SOLVED_CONFIRMED + TICKET_RESOLVED + forum acceptances. A ticket counts once,
  for the article of its latest TICKET_RESOLVED before the end of the period. A forum topic counts
  once per article its latest acceptance links: a FORUM_ANSWER_ACCEPTED event is dropped when a
  later one (before the end of the period) names the same topic and another post. Clearing an
  accepted answer records no event, so a cleared topic keeps counting until another answer is
  accepted.
* **Tickets after reading**: distinct visitors who viewed the article and opened a ticket
  (TICKET_CREATED, same visitor id, in the period) within READ_TO_TICKET_WINDOW after that view.
  The window is support.journey's look-back: reading that close to writing is part of the visit.
* **Ranking**: the Bayesian average of helpfulness, (C·m + yes) ÷ (C + votes), where m is the
  helpfulness of all votes in the period and C = PRIOR_VOTES. An article starts at the mean and
  needs about C votes of its own to move far from it, so 3 "yes" votes do not outrank 300 votes
  at 95%. Articles without votes are not ranked.
* **Most and least helpful** (the dashboard): only articles with at least MIN_RANKED_VOTES votes
  in the period take part, best Bayesian average first. The most helpful are the best ``shown``,
  the least helpful the worst ``shown`` of the others, so no article is in both lists. With fewer
  than 2·``shown`` such articles, the most helpful list takes the better half (one more when their
  number is odd) and the least helpful list the rest: neither list is padded with articles from
  the other end.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat, RowNumber
from wagtail.models import Page

from support.journey import JOURNEY_LOOKBACK
from support.metrics.period import Period, ratio
from support.models import Event

#: A ticket opened this long after reading an article counts against that article.
READ_TO_TICKET_WINDOW = JOURNEY_LOOKBACK
#: C, the weight of the global mean in the Bayesian average (in votes).
PRIOR_VOTES = 10
#: Votes an article needs in the period to be called most or least helpful: with fewer, one or two
#: voters would decide its place (a single "no" made an article "most helpful #5").
MIN_RANKED_VOTES = 5
RESOLUTION_KINDS = (Event.Kind.SOLVED_CONFIRMED, Event.Kind.TICKET_RESOLVED, Event.Kind.FORUM_ANSWER_ACCEPTED)


@dataclass
class ArticleFigures:
    article_id: int
    title: str = ""
    views: int = 0
    yes: int = 0
    no: int = 0
    solved_confirmed: int = 0
    tickets_resolved: int = 0
    forum_answers: int = 0
    tickets_after_reading: int = 0
    #: (C·m + yes) ÷ (C + votes); None without votes.
    score: float | None = None

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def helpfulness(self) -> float | None:
        return ratio(self.yes, self.votes)

    @property
    def resolutions(self) -> int:
        return self.solved_confirmed + self.tickets_resolved + self.forum_answers


def _voter_key():
    """Who voted: "user:<id>" for a logged-in reader, else "visitor:<visitor id>" (as support.votes)."""
    return Case(
        When(user__isnull=False, then=Concat(Value("user:"), Cast("user_id", CharField()))),
        default=Concat(Value("visitor:"), "visitor_id"),
        output_field=CharField(),
    )


def latest_votes(period: Period):
    """The VOTED events that count: each voter's latest on each article in the period.

    One pass with a window function (row 1 of each article and voter, newest first), so the cost
    grows with the number of votes, not with its square.
    """
    newest_first = Window(
        RowNumber(),
        partition_by=[F("article_id"), _voter_key()],
        order_by=[F("created_at").desc(), F("pk").desc()],
    )
    return (
        Event.objects.filter(kind=Event.Kind.VOTED, **period.filter())
        .exclude(article=None)
        .annotate(newest=newest_first)
        .filter(newest=1)
    )


def current_forum_acceptances(period: Period):
    """FORUM_ANSWER_ACCEPTED events of the period not replaced by a later acceptance of another post."""
    accepted = Event.objects.filter(kind=Event.Kind.FORUM_ANSWER_ACCEPTED).exclude(article=None)
    keyed = accepted.annotate(topic=KeyTextTransform("topic", "data"), post=KeyTextTransform("post", "data"))
    replaced = keyed.filter(
        topic=OuterRef("topic"), created_at__gt=OuterRef("created_at"), created_at__lt=period.until
    ).exclude(post=OuterRef("post"))
    return keyed.filter(**period.filter()).filter(~Exists(replaced))


def current_ticket_resolutions(period: Period):
    """TICKET_RESOLVED events of the period not replaced by a later resolution of the same ticket."""
    resolved = Event.objects.filter(kind=Event.Kind.TICKET_RESOLVED).exclude(article=None)
    replaced = resolved.filter(
        ticket_id=OuterRef("ticket_id"), created_at__gt=OuterRef("created_at"), created_at__lt=period.until
    )
    return resolved.filter(**period.filter()).filter(Q(ticket=None) | ~Exists(replaced))


def tickets_after_reading(period: Period):
    """(article id, distinct visitors who read it and then opened a ticket within the window)."""
    ticket_soon_after = Event.objects.filter(
        kind=Event.Kind.TICKET_CREATED,
        visitor_id=OuterRef("visitor_id"),
        created_at__gte=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + READ_TO_TICKET_WINDOW,
    ).filter(**period.filter())
    return (
        Event.objects.filter(
            kind=Event.Kind.ARTICLE_VIEWED,
            created_at__gte=period.since - READ_TO_TICKET_WINDOW,
            created_at__lt=period.until,
        )
        .exclude(visitor_id="")
        .exclude(article=None)
        .filter(Exists(ticket_soon_after))
        .values("article_id")
        .annotate(visitors=Count("visitor_id", distinct=True))
        .order_by()
        .values_list("article_id", "visitors")
    )


def article_figures(period: Period, *, article_ids=None) -> dict[int, ArticleFigures]:
    """Every article with any activity in the period (or just ``article_ids``), by page id.

    Six grouped queries and one for the titles, however many events and articles.
    """
    figures: dict[int, ArticleFigures] = {}

    def add(rows, name):
        for article_id, value in rows:
            if article_ids is None or article_id in article_ids:
                setattr(figures.setdefault(article_id, ArticleFigures(article_id)), name, value)

    def counted(queryset, *, distinct=None):
        count = Count(distinct, distinct=True) if distinct else Count("pk")
        return (
            queryset.exclude(article=None)
            .values("article_id")
            .annotate(n=count)
            .order_by()
            .values_list("article_id", "n")
        )

    events = Event.objects.filter(**period.filter())
    add(counted(events.filter(kind=Event.Kind.ARTICLE_VIEWED)), "views")
    # One row per counted vote: the window's result cannot be grouped again in the same query.
    for article_id, helpful in latest_votes(period).values_list("article_id", "data__helpful"):
        if article_ids is None or article_id in article_ids:
            row = figures.setdefault(article_id, ArticleFigures(article_id))
            if helpful is True:
                row.yes += 1
            elif helpful is False:
                row.no += 1
    add(counted(events.filter(kind=Event.Kind.SOLVED_CONFIRMED)), "solved_confirmed")
    add(counted(current_ticket_resolutions(period)), "tickets_resolved")
    add(counted(current_forum_acceptances(period), distinct="topic"), "forum_answers")
    add(tickets_after_reading(period), "tickets_after_reading")
    titles = dict(Page.objects.filter(pk__in=list(figures)).values_list("pk", "title"))
    total_yes = sum(row.yes for row in figures.values())
    total_votes = sum(row.votes for row in figures.values())
    mean = ratio(total_yes, total_votes)
    for article_id, row in figures.items():
        row.title = titles.get(article_id, "")
        if row.votes:
            row.score = bayesian_average(row.yes, row.votes, mean=mean)
    return figures


def bayesian_average(yes: int, votes: int, *, mean: float | None, prior_votes: int = PRIOR_VOTES) -> float:
    """(C·m + yes) ÷ (C + votes): helpfulness pulled towards the mean ``m`` by ``C`` imaginary votes."""
    return (prior_votes * (mean or 0) + yes) / (prior_votes + votes)


def rank(rows) -> list[ArticleFigures]:
    """Articles with votes by Bayesian average (more votes, then page id, break ties), then the
    unvoted ones by resolutions."""
    rows = list(rows)
    ranked = sorted((row for row in rows if row.votes), key=lambda row: (-row.score, -row.votes, row.article_id))
    unvoted = sorted((row for row in rows if not row.votes), key=lambda row: (-row.resolutions, row.article_id))
    return ranked + unvoted


def ranking(period: Period) -> list[ArticleFigures]:
    """Articles with votes, best Bayesian average first."""
    return [row for row in rank(article_figures(period).values()) if row.votes]


@dataclass
class HelpfulnessExtremes:
    """The dashboard's two lists, disjoint, and how many articles had enough votes to be in them."""

    most: list[ArticleFigures]
    #: Worst first.
    least: list[ArticleFigures]
    #: Articles with at least ``min_votes`` votes (the pool both lists are drawn from).
    qualifying: int
    min_votes: int


def helpfulness_extremes(rows, *, shown: int, min_votes: int = MIN_RANKED_VOTES) -> HelpfulnessExtremes:
    """The most and least helpful of ``rows`` (ArticleFigures), by the rules in this module's docstring."""
    qualifying = [row for row in rank(rows) if row.votes >= min_votes]
    # With too few for two full lists, the better half only: five places are not a reason to call
    # an article from the bottom of the ranking "most helpful".
    most = qualifying[: min(shown, (len(qualifying) + 1) // 2)]
    least = qualifying[len(most) :][::-1][:shown]
    return HelpfulnessExtremes(most=most, least=least, qualifying=len(qualifying), min_votes=min_votes)
