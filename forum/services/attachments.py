"""Image attachments: verified by content (Pillow), re-encoded, stored under a random name.

Only PNG, JPEG, GIF and WebP are accepted, whatever the file is called or claims to be, and
never more than FORUM_MAX_IMAGE_BYTES or MAX_PIXELS. Re-encoding drops anything hidden in the
file besides the picture (EXIF with GPS positions, appended scripts or archives).
"""

import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from forum.models import Attachment
from forum.services.errors import ActionRefused, TooManyPosts
from forum.services.posting import check_post_allowance, require_member

#: Pillow format -> (content type, file extension)
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "GIF": ("image/gif", "gif"),
           "WEBP": ("image/webp", "webp")}  # fmt: skip
MAX_PIXELS = 25_000_000
MAX_FRAMES = 200
#: Images one member may upload in an hour (uploads are cheap to send and costly to keep).
MAX_UPLOADS_PER_HOUR = 20


def _refused():
    return ActionRefused(_("Attach a PNG, JPEG, GIF or WebP image."), status=400)


def store_image(user, upload) -> Attachment:
    require_member(user)
    check_post_allowance(user)
    if Attachment.objects.filter(uploader=user, created_at__gte=timezone.now() - timedelta(hours=1)).count() >= (
        MAX_UPLOADS_PER_HOUR
    ):
        raise TooManyPosts(_("You have uploaded many images this hour. Please wait a while and try again."))
    limit = settings.FORUM_MAX_IMAGE_BYTES
    if upload.size > limit:
        raise ActionRefused(_("Images can be at most %(size)s MB.") % {"size": f"{limit / 1_000_000:g}"}, status=413)
    data = upload.read(limit + 1)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise _refused()
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image_format = image.format
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_FRAMES:
            raise _refused()
        output = io.BytesIO()
        if image_format == "GIF" and frames > 1:
            image.save(output, format="GIF", save_all=True, optimize=False)
        else:
            image = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(output, format=image_format, **({"quality": 88} if image_format == "JPEG" else {}))
        width, height = image.size
    except ActionRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        raise _refused() from None
    content_type, extension = FORMATS[image_format]
    content = output.getvalue()
    attachment = Attachment(uploader=user, content_type=content_type, width=width, height=height, size=len(content))
    attachment.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(content), save=False)
    attachment.save()
    return attachment
