"""Council URLs: the private area's home and documents (see customer_council/urls/__init__.py)."""

from django.urls import path

from customer_council.views import area

urlpatterns = [
    path("", area.home, name="home"),
]
