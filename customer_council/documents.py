"""The council's documents (pre-reads, slides): a private Wagtail collection, served to members only.

Documents live in the collection "Council documents" (and collections beneath it), which carries a
Wagtail view restriction of type "groups" to "Council members" and "Council managers". They
are served only by Wagtail's document view (``/documents/<id>/<filename>``, settings
``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which checks that restriction on every download;
the site's own media serving (config.urls) refuses the ``documents/`` directory, so no
guessable public URL to the file exists. Responses are marked confidential
(customer_council.privacy).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from customer_council.privacy import DOCUMENTS_COLLECTION
from customer_council.sections import council_groups


def council_collection() -> Collection | None:
    return Collection.objects.filter(name=DOCUMENTS_COLLECTION, depth=2).first()


@transaction.atomic
def ensure_council_collection() -> Collection:
    """The private collection, made or repaired (its restriction to exactly the council groups)."""
    collection = council_collection()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=DOCUMENTS_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).order_by("pk").first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    elif restriction.restriction_type != CollectionViewRestriction.GROUPS:
        restriction.restriction_type = CollectionViewRestriction.GROUPS
        restriction.save(update_fields=["restriction_type"])
    CollectionViewRestriction.objects.filter(collection=collection).exclude(pk=restriction.pk).delete()
    groups = council_groups()
    if set(restriction.groups.values_list("pk", flat=True)) != {group.pk for group in groups}:
        restriction.groups.set(groups)
    return collection


def council_documents() -> QuerySet:
    """Every document in the council's collection or beneath it (for members and managers only)."""
    collection = council_collection()
    Document = get_document_model()
    if collection is None:
        return Document.objects.none()
    return Document.objects.filter(collection__path__startswith=collection.path)
