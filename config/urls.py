from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from kb import urls as kb_urls
from kb.sitemaps import sitemap_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    *kb_urls.api_urlpatterns,
    path("", include("customer_voice.urls.public")),
]

# Everything a reader sees lives under a language prefix (/en/, /ru/, /fa/, /he/), so a link
# always says which language it shows and the switcher can keep the reader on the same page.
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("support/", include("support.urls")),
    path("forum/", include("forum.urls")),
    path("council/", include("customer_council.urls")),
    path("", include("customer_voice.urls")),
    path("whats-new/", include("customer_council.urls.whats_new")),
    path("", include("stories.urls")),
    path("", include(kb_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    # One machine, no web server in front: Django serves uploads (forum images, Wagtail
    # images) itself. Behind nginx or a CDN, set SERVE_MEDIA=false and serve MEDIA_ROOT there,
    # refusing documents/ as below.
    import posixpath

    from django.http import Http404
    from django.urls import re_path
    from django.views.static import serve

    #: Wagtail documents (council pre-reads among them) are served only by Wagtail's document
    #: view, which checks their collection's privacy: never straight from MEDIA_ROOT.
    PRIVATE_MEDIA_DIRECTORIES = ("documents/",)

    def serve_media(request, path):
        # As serve() will read it: "images/../documents/x.pdf" is documents/x.pdf.
        if (posixpath.normpath(path).lstrip("/") + "/").startswith(PRIVATE_MEDIA_DIRECTORIES) or "\\" in path:
            raise Http404
        return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request, not at import

    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]
