"""Helpers of the private-area and privacy-matrix tests: council pages, ideas, documents."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from customer_council.documents import ensure_council_collection
from customer_council.models import CouncilPage, Idea, IdeaStatus
from customer_council.sections import ensure_council_section
from tests.factories import UserFactory


def make_council_page(help_center, title, body_word, *, slug=None, summary="") -> CouncilPage:
    """A published council page under the language's council section (index updated after commit)."""
    section = ensure_council_section(help_center)
    page = CouncilPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=summary,
        body=[("paragraph", f"<p>The {body_word} briefing for members.</p>")],
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_idea(title, *, author=None, problem="It solves a problem.", hidden=False, **fields) -> Idea:
    status = IdeaStatus.objects.filter(is_default=True).first()
    return Idea.objects.create(
        author=author or UserFactory(), title=title, problem=problem, status=status, hidden=hidden, **fields
    )


def make_council_document(title="Pre-read", filename="preread.txt", text=b"Quarterly roadmap pre-read"):
    Document = get_document_model()
    document = Document(title=title, collection=ensure_council_collection())
    document.file.save(filename, ContentFile(text), save=False)
    document.save()
    return document
