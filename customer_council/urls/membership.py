"""Council URLs: invitations, agreements and the member directory (see customer_council/urls/__init__.py)."""

from django.urls import path

from customer_council.views import membership

urlpatterns = [
    path("join/<str:token>/", membership.join, name="join"),
    path("agreements/", membership.agreements, name="agreements"),
    path("members/", membership.members, name="members"),
]
