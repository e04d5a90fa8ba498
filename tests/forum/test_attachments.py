"""Image attachments: checked by their content, re-encoded, stored under a random name, and
inserted into a post as Markdown that the renderer allows (our own URL only)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from forum.markdown import render
from forum.models import Attachment
from tests.factories.forum import make_member

pytestmark = pytest.mark.django_db


def image_bytes(image_format="PNG", size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def upload(client, name, content, content_type="image/png"):
    return client.post(
        reverse("forum:upload"),
        {"image": SimpleUploadedFile(name, content, content_type)},
        HTTP_ACCEPT="application/json",
    )


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_an_image_is_stored_under_a_random_name_and_shown_in_posts(client, image_format, extension):
    client.force_login(make_member())
    response = upload(client, "../../holiday photo.exe", image_bytes(image_format))
    assert response.status_code == 201
    url = response.json()["url"]
    assert url.startswith("/media/forum/") and url.endswith(f".{extension}") and "holiday" not in url
    attachment = Attachment.objects.get()
    assert (attachment.width, attachment.height) == (40, 30)
    assert f'src="{url}"' in render(response.json()["markdown"])


def test_a_file_that_only_claims_to_be_an_image_is_refused(client):
    client.force_login(make_member())
    response = upload(client, "cat.png", b"<script>alert(1)</script>")
    assert response.status_code == 400 and "PNG, JPEG, GIF or WebP" in response.json()["error"]
    assert not Attachment.objects.exists()


def test_other_image_types_are_refused(client):
    client.force_login(make_member())
    assert upload(client, "icon.bmp", image_bytes("BMP")).status_code == 400


def test_a_truncated_image_is_refused(client):
    client.force_login(make_member())
    assert upload(client, "broken.png", image_bytes("PNG", size=(400, 400))[:200]).status_code == 400


@override_settings(FORUM_MAX_IMAGE_BYTES=1000)
def test_a_too_large_image_is_refused_with_the_limit(client):
    client.force_login(make_member())
    response = upload(client, "big.png", image_bytes("PNG", size=(300, 300), mode="RGB") + b"\0" * 2000)
    assert response.status_code == 413 and "MB" in response.json()["error"]


def test_location_data_is_dropped_by_re_encoding(client):
    client.force_login(make_member())
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker; GPS data is removed the same way
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG", exif=exif.tobytes())
    assert b"SecretCam" in buffer.getvalue()
    upload(client, "photo.jpg", buffer.getvalue(), "image/jpeg")
    with Attachment.objects.get().file.open("rb") as stored:
        assert b"SecretCam" not in stored.read()


def test_anonymous_visitors_cannot_upload(client):
    assert upload(client, "cat.png", image_bytes()).status_code == 403


def test_a_member_may_upload_only_so_many_images_an_hour(client, monkeypatch):
    monkeypatch.setattr("forum.services.attachments.MAX_UPLOADS_PER_HOUR", 2)
    client.force_login(make_member())
    assert [upload(client, "a.png", image_bytes()).status_code for _n in range(3)] == [201, 201, 429]
