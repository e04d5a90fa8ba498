"""The council's documents (pre-reads, slides): a private Wagtail collection, served to members only.

Documents live in the collection "Council documents" (and collections beneath it), which carries a
Wagtail view restriction of type "groups" to "Council members" and "Council managers". They
are served only by Wagtail's document view (``/documents/<id>/<filename>``, settings
``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which checks that restriction on every download;
the site's own media serving (config.urls) refuses the ``documents/`` directory, so no
guessable public URL to the file exists. Responses are marked confidential
(customer_council.privacy).

In the Wagtail admin, staff groups hold document permissions on the root collection, which
Wagtail extends to every collection beneath it: :class:`CouncilSafeDocumentPolicy` (registered
in customer_council.wagtail_hooks) takes the council's collection out of the document listing,
search, chooser and edit views of everyone but council managers.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from customer_council.access import MANAGERS_GROUP, is_manager
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
    grant_managers_the_collection(collection)
    return collection


#: What council managers may do with documents in the council's collection (pre-reads, slides).
MANAGER_DOCUMENT_PERMISSIONS = ("add_document", "change_document", "delete_document", "choose_document")


def grant_managers_the_collection(collection: Collection) -> None:
    """Council managers upload and edit the council's documents in the Wagtail admin (their
    group holds only "choose" on the root collection)."""
    managers = Group.objects.filter(name=MANAGERS_GROUP).first()
    if managers is None:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=MANAGER_DOCUMENT_PERMISSIONS
    )
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(group=managers, collection=collection, permission=permission)


def council_documents() -> QuerySet:
    """Every document in the council's collection or beneath it (for members and managers only)."""
    collection = council_collection()
    Document = get_document_model()
    if collection is None:
        return Document.objects.none()
    return Document.objects.filter(collection__path__startswith=collection.path)


class CouncilSafeDocumentPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document policy, less the council's collection for everyone but council managers."""

    def _hides_council(self, user) -> bool:
        return not is_manager(user)

    @staticmethod
    def _council_path() -> str | None:
        collection = council_collection()
        return collection.path if collection is not None else None

    def collections_user_has_any_permission_for(self, user, actions):
        collections = super().collections_user_has_any_permission_for(user, actions)
        path = self._council_path()
        if path and self._hides_council(user):
            collections = collections.exclude(path__startswith=path)
        return collections

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        path = self._council_path()
        if path and self._hides_council(user):
            # By collection id: the admin's document search can filter on it (not on a path).
            council_ids = list(Collection.objects.filter(path__startswith=path).values_list("pk", flat=True))
            documents = documents.exclude(collection_id__in=council_ids)
        return documents

    def user_has_any_permission_for_instance(self, user, actions, instance):
        path = self._council_path()
        if path and instance.collection.path.startswith(path) and self._hides_council(user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


def document_policy() -> CouncilSafeDocumentPolicy:
    """The policy with the arguments Wagtail gives its own (wagtail.documents.get_permission_policy)."""
    return CouncilSafeDocumentPolicy(
        get_document_model(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
    )
