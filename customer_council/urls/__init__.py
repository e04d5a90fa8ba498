"""Public URLs of the council, mounted under the language prefix (/<lang>/council/).

Each area keeps its own module; anything else under /<lang>/council/ is a Wagtail council page
(customer_council.models.pages), served with Wagtail's privacy.
"""

from django.urls import include, path

app_name = "customer_council"

urlpatterns = [
    path("", include("customer_council.urls.area")),
    path("", include("customer_council.urls.membership")),
    path("ideas/", include("customer_council.urls.ideas")),
    path("roadmap/", include("customer_council.urls.roadmap")),
    path("meetings/", include("customer_council.urls.meetings")),
]
