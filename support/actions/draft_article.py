"""Turning a ticket into a draft help article, for an editor to finish and publish.

The draft goes under the category of the article the ticket was resolved with, when that
article is in the ticket's language; otherwise under a "Support answers" category of the
ticket's help center (created as a draft itself, so nothing appears on the help center until an
editor publishes). The draft holds the customer's question and the agents' replies, escaped.
Asking twice returns the same draft. The agent owns the draft, so Wagtail lets them edit it
(support agents may add pages but not publish them). This mirrors the forum's draft_article_from_topic; the
support layer sits below the forum, so the two share kb's building blocks, not code.
"""

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from kb.importing import ensure_help_center, translation_key_for
from kb.models import ArticlePage, CategoryPage
from support.actions.permissions import ActionRefused, require_agent
from support.models import Ticket

SUPPORT_CATEGORY = "support-answers"
MAX_SUMMARY_LENGTH = 300


def draft_key(ticket: Ticket):
    return translation_key_for("support-ticket", str(ticket.pk))


def existing_draft(ticket: Ticket) -> ArticlePage | None:
    return ArticlePage.objects.filter(translation_key=draft_key(ticket), locale__language_code=ticket.language).first()


def _category(ticket: Ticket) -> CategoryPage:
    resolved_with = ticket.resolved_with.specific if ticket.resolved_with_id else None
    if isinstance(resolved_with, ArticlePage) and resolved_with.locale.language_code == ticket.language:
        return resolved_with.get_parent().specific
    home = ensure_help_center(ticket.language)
    key = translation_key_for("category", SUPPORT_CATEGORY)
    category = CategoryPage.objects.filter(translation_key=key, locale=home.locale).first()
    if category is None:
        category = CategoryPage(
            title=_("Support answers"), slug=SUPPORT_CATEGORY, locale=home.locale, translation_key=key, live=False
        )
        home.add_child(instance=category)
    return category


def can_draft_under(user, category) -> bool:
    return category.permissions_for_user(user).can_add_subpage()


def draft_article_from_ticket(user, ticket: Ticket) -> ArticlePage:
    """An unpublished article drafted from the ticket's thread (the same one when asked again)."""
    require_agent(user)
    existing = existing_draft(ticket)
    if existing is not None:
        return existing
    with transaction.atomic(), override(ticket.language):
        category = _category(ticket)
        if not can_draft_under(user, category):
            raise ActionRefused(_("You cannot add articles to this help center."))
        base = slugify(ticket.subject, allow_unicode=True)[:60].strip("-") or "support-answer"
        slug = base if not category.get_children().filter(slug=base).exists() else f"{base}-{ticket.pk}"
        replies = ticket.messages.filter(is_from_customer=False).order_by("created_at", "pk")
        body = [("paragraph", linebreaks(escape(ticket.description)))]
        if replies:
            body.append(("heading", {"text": _("Answer"), "level": "h2"}))
            body.extend(("paragraph", linebreaks(escape(reply.body))) for reply in replies)
        article = ArticlePage(
            title=ticket.subject[:255],
            slug=slug,
            summary=" ".join(ticket.description.split())[:MAX_SUMMARY_LENGTH],
            locale=category.locale,
            translation_key=draft_key(ticket),
            live=False,
            owner=user,
            body=body,
        )
        category.add_child(instance=article)
        article.save_revision(user=user, log_action=True)
    return article
