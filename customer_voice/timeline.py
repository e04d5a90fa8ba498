"""The customer timeline (the "communication calendar"): every touch with one customer, in order.

A touch is a moment the customer and we were in contact: signing up, a ticket and its messages,
an article vote, a forum post, council activity, a survey question or answer, an email we sent, a
consent change. Each source is ONE query for its latest ``limit`` rows (one more is fetched to
know whether older ones were left out); the touches are merged and sorted here. Apps above this
one (the council) add theirs through the ``customer_timeline_sources`` hook, so the page costs
the same few queries whatever the customer's history.

"Last contact" (the customers list, the timeline's header) is one annotation: the latest of
sign-up, ticket or ticket message, survey answer, survey or digest email, forum post.

Everything here is read for a viewer: survey runs to an audience the viewer may not see (the
council's, for anyone but council managers: customer_voice.services.audiences.may_see_audience)
leave no touch, no "last contact" and no open follow-up behind, and the hooked sources get the
viewer to decide for themselves. No viewer (``None``) sees no such audience.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from accounts.models import ConsentRecord
from customer_voice.models import DigestDelivery, FollowUp, SurveyInvitation, SurveyResponse
from customer_voice.models.surveys import SurveyKind
from customer_voice.services.audiences import (
    customers,
    hidden_audiences,
    visible_answers,
    visible_follow_ups,
    visible_invitations,
)
from forum.models import Post
from support.models import ArticleVote, Ticket, TicketMessage

#: Hook: ``def source(user, limit, viewer) -> list[dict]``, each dict a touch with the keys ``at``
#: (an aware datetime), ``kind`` (a short key, e.g. "council_idea"), ``label`` (plain text, escaped
#: when shown) and ``url`` (may be empty). ``viewer`` is who reads the timeline (may be ``None``):
#: a source returns nothing they may not see. Each query of a source reads at most ``limit + 1``
#: rows; a kind with more than ``limit`` touches is cut to the latest ``limit`` and marked.
TIMELINE_SOURCES_HOOK = "customer_timeline_sources"
#: Latest touches read per source.
DEFAULT_LIMIT = 200
#: Open follow-ups: the states still to do.
FOLLOW_UP_TO_DO = (FollowUp.State.OPEN, FollowUp.State.CONTACTED)


@dataclass(frozen=True)
class Touch:
    at: datetime.datetime
    kind: str
    label: str
    url: str = ""
    #: What the customer wrote (a subject, a comment), shown apart from the label with dir="auto".
    text: str = ""
    #: Who spoke: "customer", "agent" or "" (neither: an email, a consent change, ...).
    side: str = ""


@dataclass
class Timeline:
    customer: object
    touches: list[Touch]
    #: Sources whose older touches were left out (their labels).
    cut: list[str] = field(default_factory=list)
    first_contact: datetime.datetime | None = None
    last_contact: datetime.datetime | None = None
    open_follow_up: FollowUp | None = None


def _latest(queryset: QuerySet, column: str) -> Subquery:
    return Subquery(
        queryset.exclude(**{f"{column}__isnull": True}).order_by(f"-{column}").values(column)[:1],
        output_field=DateTimeField(),
    )


def with_last_contact(users: QuerySet, viewer=None) -> QuerySet:
    """``users`` annotated with ``last_contact``: the latest of sign-up, ticket or ticket
    message, survey answer, survey or digest email, forum post (correlated subqueries, one query),
    leaving out the surveys of audiences ``viewer`` may not see."""
    hidden = hidden_audiences(viewer)
    user = OuterRef("pk")
    joined = "date_joined"
    # SQLite's MAX() of a NULL is NULL: every part falls back to the sign-up time.
    parts = [
        _latest(Ticket.objects.filter(requester=user), "created_at"),
        _latest(TicketMessage.objects.filter(ticket__requester=user), "created_at"),
        _latest(visible_answers(SurveyResponse.objects.filter(user=user), hidden), "answered_at"),
        _latest(visible_invitations(SurveyInvitation.objects.filter(user=user), hidden), "sent_at"),
        _latest(DigestDelivery.objects.filter(user=user), "sent_at"),
        _latest(Post.objects.filter(author=user), "created_at"),
    ]
    return users.annotate(
        last_contact=Greatest(joined, *(Coalesce(part, joined) for part in parts), output_field=DateTimeField())
    )


def _admin_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _limited(queryset: QuerySet, order: str, limit: int) -> tuple[list, bool]:
    rows = list(queryset.order_by(f"-{order}", "-pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


def _sign_up(customer) -> list[Touch]:
    label = _("Signed up")
    if customer.referral_source:
        label = _("Signed up (heard of us: %(source)s)") % {"source": customer.get_referral_source_display()}
    referral = getattr(customer, "referred_by", None)
    if referral is not None:
        owner = referral.link.owner
        label += " " + _("via %(name)s's link") % {"name": owner.public_name}
        url = _admin_url("customer_voice_timeline:customer", owner.pk)
    else:
        url = ""
    return [Touch(customer.date_joined, "sign_up", label, url, side="customer")]


def _tickets(customer, limit: int) -> tuple[list[Touch], bool]:
    tickets, cut = _limited(Ticket.objects.filter(requester=customer), "created_at", limit)
    touches = []
    for ticket in tickets:
        url = _admin_url("support_tickets:inspect", ticket.pk)
        touches.append(
            Touch(
                ticket.created_at,
                "ticket_opened",
                _("Opened ticket %(reference)s") % {"reference": ticket.reference},
                url,
                ticket.subject,
                side="customer",
            )
        )
        if ticket.resolved_at:
            touches.append(
                Touch(
                    ticket.resolved_at,
                    "ticket_resolved",
                    _("Ticket %(reference)s resolved") % {"reference": ticket.reference},
                    url,
                    side="agent",
                )
            )
    return touches, cut


def _ticket_messages(customer, limit: int) -> tuple[list[Touch], bool]:
    messages, cut = _limited(
        TicketMessage.objects.filter(ticket__requester=customer).select_related("ticket"), "created_at", limit
    )
    touches = []
    for message in messages:
        ticket = message.ticket
        url = _admin_url("support_tickets:inspect", ticket.pk)
        names = {"reference": ticket.reference}
        if message.is_from_customer:
            if message.created_at == ticket.created_at:
                continue  # the opening message: the "ticket opened" touch
            touches.append(
                Touch(
                    message.created_at,
                    "ticket_message_customer",
                    _("Wrote on %(reference)s") % names,
                    url,
                    side="customer",
                )
            )
        else:
            touches.append(
                Touch(
                    message.created_at,
                    "ticket_message_agent",
                    _("Support replied on %(reference)s") % names,
                    url,
                    side="agent",
                )
            )
            if message.emailed_at:
                touches.append(
                    Touch(
                        message.emailed_at, "email_ticket_reply", _("Emailed the reply on %(reference)s") % names, url
                    )
                )
    return touches, cut


def _article_votes(customer, limit: int) -> tuple[list[Touch], bool]:
    votes, cut = _limited(ArticleVote.objects.filter(user=customer).select_related("article"), "created_at", limit)
    touches = []
    for vote in votes:
        title = vote.article.title if vote.article_id else ""
        label = _("Found an article helpful") if vote.helpful else _("Found an article unhelpful")
        touches.append(
            Touch(
                vote.created_at,
                "article_vote",
                label,
                _admin_url("wagtailadmin_pages:edit", vote.article_id),
                title,
                side="customer",
            )
        )
    return touches, cut


def _forum_posts(customer, limit: int) -> tuple[list[Touch], bool]:
    posts, cut = _limited(Post.objects.filter(author=customer).select_related("topic"), "created_at", limit)
    touches = []
    for post in posts:
        label = _("Started a forum topic") if post.position == 1 else _("Replied in the forum")
        if post.deleted_at or post.is_hidden:
            label += " " + _("(since hidden or deleted)")
        touches.append(
            Touch(post.created_at, "forum_post", label, post.get_permalink(), post.topic.title, side="customer")
        )
    return touches, cut


def _survey_invitations(customer, limit: int, *, hidden: list[str]) -> tuple[list[Touch], bool]:
    invitations, cut = _limited(
        visible_invitations(SurveyInvitation.objects.filter(user=customer), hidden), "created_at", limit
    )
    touches = []
    for invitation in invitations:
        kind = invitation.get_kind_display()
        if invitation.sent_at:
            touches.append(
                Touch(invitation.sent_at, "email_survey", _("Emailed the survey: %(kind)s") % {"kind": kind})
            )
        elif invitation.channel == SurveyInvitation.Channel.SITE:
            touches.append(
                Touch(invitation.created_at, "survey_asked", _("Asked on the site: %(kind)s") % {"kind": kind})
            )
    return touches, cut


def _survey_answers(customer, limit: int, *, hidden: list[str]) -> tuple[list[Touch], bool]:
    answers, cut = _limited(
        visible_answers(SurveyResponse.objects.filter(user=customer), hidden).select_related("follow_up"),
        "answered_at",
        limit,
    )
    touches = []
    for answer in answers:
        if answer.kind == SurveyKind.NPS:
            label = _("Answered the NPS survey: %(score)s (%(category)s)") % {
                "score": answer.score,
                "category": answer.get_category_display(),
            }
        else:
            label = _("Rated support: good") if answer.score else _("Rated support: bad")
        follow_up = getattr(answer, "follow_up", None)
        url = _admin_url("customer_voice_follow_ups:inspect", follow_up.pk) if follow_up else ""
        touches.append(Touch(answer.answered_at, "survey_answer", label, url, answer.comment, side="customer"))
    return touches, cut


def _digests(customer, limit: int) -> tuple[list[Touch], bool]:
    deliveries, cut = _limited(
        DigestDelivery.objects.filter(user=customer, sent_at__isnull=False).select_related("issue"), "sent_at", limit
    )
    touches = [
        Touch(delivery.sent_at, "email_digest", _("Emailed the digest %(period)s") % {"period": delivery.issue.period})
        for delivery in deliveries
    ]
    return touches, cut


def _consents(customer, limit: int) -> tuple[list[Touch], bool]:
    records, cut = _limited(ConsentRecord.objects.filter(user=customer), "at", limit)
    touches = []
    for record in records:
        names = {"topic": record.get_topic_display(), "source": record.get_source_display()}
        if record.granted:
            label = _("Consented to %(topic)s (%(source)s)") % names
        else:
            label = _("Withdrew consent to %(topic)s (%(source)s)") % names
        touches.append(Touch(record.at, "consent", label, side="customer"))
    return touches, cut


#: Our own sources: (label for "older touches not shown", function(customer, limit)). The survey
#: sources (:data:`AUDIENCE_SOURCES`) also take ``hidden``: the audiences the viewer may not see.
SOURCES = [
    (gettext_lazy("tickets"), _tickets),
    (gettext_lazy("ticket messages"), _ticket_messages),
    (gettext_lazy("article votes"), _article_votes),
    (gettext_lazy("forum posts"), _forum_posts),
    (gettext_lazy("survey invitations"), _survey_invitations),
    (gettext_lazy("survey answers"), _survey_answers),
    (gettext_lazy("digests"), _digests),
    (gettext_lazy("consent changes"), _consents),
]
AUDIENCE_SOURCES = (_survey_invitations, _survey_answers)


def _hooked_touches(customer, limit: int, viewer) -> tuple[list[Touch], list[str]]:
    touches, cut = [], []
    for source in hooks.get_hooks(TIMELINE_SOURCES_HOOK):
        by_kind: dict[str, list[Touch]] = {}
        for item in source(customer, limit, viewer) or []:
            at = item.get("at")
            if not isinstance(at, datetime.datetime):
                continue
            kind = str(item.get("kind") or "other")
            by_kind.setdefault(kind, []).append(
                Touch(at, kind, str(item.get("label") or ""), str(item.get("url") or ""), side="customer")
            )
        for kind, found in by_kind.items():
            found.sort(key=lambda touch: touch.at, reverse=True)
            if len(found) > limit:
                cut.append(kind.replace("_", " "))
            touches += found[:limit]
    return touches, cut


def customer_with_contact(user_id: int, viewer=None):
    """The customer with ``last_contact`` (as ``viewer`` may see it) and their referral (one
    query), or None."""
    users = get_user_model().objects.filter(pk=user_id).select_related("referred_by__link__owner")
    return with_last_contact(users, viewer).first()


def build_timeline(customer, limit: int = DEFAULT_LIMIT, *, viewer=None) -> Timeline:
    """Every touch with ``customer`` (from :func:`customer_with_contact`) that ``viewer`` may see,
    oldest first."""
    hidden = hidden_audiences(viewer)
    touches = _sign_up(customer)
    cut = []
    for label, source in SOURCES:
        if source in AUDIENCE_SOURCES:
            found, was_cut = source(customer, limit, hidden=hidden)
        else:
            found, was_cut = source(customer, limit)
        touches += found
        if was_cut:
            cut.append(str(label))
    hooked, hooked_cut = _hooked_touches(customer, limit, viewer)
    touches += hooked
    cut += hooked_cut
    touches.sort(key=lambda touch: touch.at)
    open_follow_up = (
        visible_follow_ups(FollowUp.objects.filter(customer=customer, state__in=FOLLOW_UP_TO_DO), hidden)
        .order_by("created_at", "pk")
        .first()
    )
    return Timeline(
        customer=customer,
        touches=touches,
        cut=cut,
        first_contact=touches[0].at if touches else None,
        last_contact=getattr(customer, "last_contact", None),
        open_follow_up=open_follow_up,
    )


# --- The customers list ----------------------------------------------------------------------

#: "No contact for N days": the default N and its bounds.
DEFAULT_SILENT_DAYS = 90
MIN_SILENT_DAYS, MAX_SILENT_DAYS = 1, 3650
MAX_QUERY_LENGTH = 100


def listed_customers(viewer=None) -> QuerySet:
    """Customers (never staff) with ``last_contact`` as ``viewer`` may see it, the longest silent
    first."""
    return with_last_contact(customers(), viewer).order_by("last_contact", "pk")


def silent_customers(days: int, now=None, *, viewer=None) -> QuerySet:
    """Customers with no contact (that ``viewer`` may see) in the last ``days`` days."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return listed_customers(viewer).filter(last_contact__lt=since)


def customers_with_open_follow_up(viewer=None) -> QuerySet:
    """Customers with a follow-up still to do that ``viewer`` may see."""
    to_do = visible_follow_ups(
        FollowUp.objects.filter(state__in=FOLLOW_UP_TO_DO, customer__isnull=False), hidden_audiences(viewer)
    ).values("customer_id")
    return listed_customers(viewer).filter(pk__in=to_do)


def matching(users: QuerySet, query: str) -> QuerySet:
    """``users`` whose email or name contains ``query``."""
    if not query:
        return users
    return users.filter(
        Q(email__icontains=query)
        | Q(display_name__icontains=query)
        | Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
    )
