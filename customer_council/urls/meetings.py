"""Council URLs: the meetings (see customer_council/urls/__init__.py)."""

from django.urls import path

from customer_council.views import meetings

urlpatterns = [
    path("", meetings.meeting_list, name="meetings"),
    path("<int:pk>/", meetings.detail, name="meeting"),
    path("<int:pk>/invite.ics", meetings.invite_ics, name="meeting_ics"),
    path("<int:pk>/rsvp/", meetings.rsvp, name="meeting_rsvp"),
    path("<int:pk>/pre-reads/<int:pre_read>/", meetings.open_pre_read, name="meeting_pre_read"),
    path("<int:pk>/actions/<int:item>/", meetings.action_item, name="meeting_action_item"),
]
