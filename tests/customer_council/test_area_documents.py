"""Council documents: in a private collection, served by Wagtail's view to members only, never
from a guessable media URL."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import CollectionViewRestriction

from customer_council.access import ACCESS_GROUP, MANAGERS_GROUP
from customer_council.documents import council_documents, ensure_council_collection
from tests.customer_council.area_helpers import make_council_document
from tests.factories import UserFactory
from tests.factories.council import make_agreements, make_council_manager, make_council_member, make_membership

pytestmark = pytest.mark.django_db

SECRET = b"Quarterly roadmap pre-read: kestrel pricing"


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_collection_is_restricted_to_the_council_groups_and_made_once():
    first = ensure_council_collection()
    second = ensure_council_collection()

    assert first.pk == second.pk
    restriction = CollectionViewRestriction.objects.get(collection=first)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) == {ACCESS_GROUP, MANAGERS_GROUP}


def test_a_member_and_a_manager_download_a_document_marked_confidential(client):
    make_agreements()
    document = make_council_document(text=SECRET)

    for user in (make_council_member(), make_council_manager()):
        client.force_login(user)
        response = client.get(document.url)
        assert response.status_code == 200 and content(response) == SECRET
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
    assert list(council_documents()) == [document]


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    document = make_council_document(text=SECRET)

    response = client.get(document.url)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert b"kestrel" not in response.content


@pytest.mark.parametrize("who", ["outsider", "expired", "editor"])
def test_other_people_get_no_byte_of_it(client, who):
    make_agreements()
    document = make_council_document(text=SECRET)
    user = UserFactory()
    if who == "expired":
        make_membership(user, state="expired")
    elif who == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)

    response = client.get(document.url)

    assert response.status_code == 403
    assert b"kestrel" not in content(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("serve_media", [True, False])
def test_no_media_url_serves_the_file_even_to_a_member(client, serve_media, settings):
    make_agreements()
    document = make_council_document(text=SECRET)
    client.force_login(make_council_member())
    name = document.file.name  # documents/preread….txt

    with override_settings(SERVE_MEDIA=serve_media):
        for path in (f"/media/{name}", f"/media/original_images/../{name}", f"/media//{name}", "/media/documents/"):
            response = client.get(path, follow=True)
            assert response.status_code == 404, path
            assert b"kestrel" not in content(response)


def test_other_media_is_still_served(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "forum").mkdir()
    (tmp_path / "forum" / "picture.txt").write_bytes(b"public picture")

    response = client.get("/media/forum/picture.txt")

    assert response.status_code == 200 and content(response) == b"public picture"


def test_in_the_admin_a_manager_lists_council_documents_and_an_editor_only_the_others(client):
    """Staff groups hold document permissions on the root collection, which Wagtail extends to
    the council's: the council's document policy takes it out for everyone but managers."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    make_council_document("Kestrel pre-read", filename="kestrel.txt", text=SECRET)
    public = get_document_model()(title="Kestrel brochure", collection=Collection.get_first_root_node())
    public.file.save("brochure.txt", ContentFile(b"public"), save=False)
    public.save()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))

    client.force_login(make_council_manager())
    listed = client.get("/admin/documents/?q=Kestrel").content.decode()
    assert "Kestrel pre-read" in listed, "managers upload and edit the council's documents"

    client.force_login(editor)
    listed = client.get("/admin/documents/?q=Kestrel").content.decode()
    assert "Kestrel brochure" in listed and "Kestrel pre-read" not in listed
    chooser = client.get("/admin/documents/chooser/").content.decode()
    assert "Kestrel brochure" in chooser and "Kestrel pre-read" not in chooser
