"""What every page's chrome needs: the reader's help-center home and the corpus attribution."""

from django.conf import settings
from django.utils.translation import get_language


def site_chrome(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "home_url": f"/{language}/",
        "current_language": language,
    }
