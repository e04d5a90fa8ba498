"""Signal receivers of the support app, connected in SupportConfig.ready."""

from allauth.account.signals import email_confirmed

from kb.signals import article_viewed
from sitewide.reader import reader_of
from support.customer_tickets import on_email_confirmed
from support.events import record_event
from support.models import Event
from support.visits import clean_visit_id


def record_article_view(sender, page, request, **kwargs):
    """Every counted article view (kb.views_counter) is also an ARTICLE_VIEWED event.

    An article opened from the contact form's suggestions (``?from_contact=<visit>``) is read
    within that visit: the event carries the visit and flow "contact".
    """
    visit_id = clean_visit_id(request.GET.get("from_contact"))
    record_event(
        Event.Kind.ARTICLE_VIEWED,
        reader=reader_of(request),
        article=page,
        flow=Event.Flow.CONTACT if visit_id else "",
        visit_id=visit_id,
    )


def connect():
    article_viewed.connect(record_article_view, dispatch_uid="support.record_article_view")
    # Tickets opened while logged out join the account once it verifies their address.
    email_confirmed.connect(on_email_confirmed, dispatch_uid="support.join_tickets_on_email_confirmed")
