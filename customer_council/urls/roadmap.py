"""Council URLs: the roadmap (see customer_council/urls/__init__.py)."""

from django.urls import path

from customer_council.views import roadmap

urlpatterns = [
    path("", roadmap.roadmap, name="roadmap"),
    path("you-said-we-did/", roadmap.you_said_we_did, name="you_said_we_did"),
    path("<int:pk>/", roadmap.item, name="roadmap_item"),
]
