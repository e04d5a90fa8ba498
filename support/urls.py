"""Public URLs of the support app, mounted under the language prefix (/<lang>/support/)."""

from django.urls import path

from support import views, views_requests

app_name = "support"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/suggestions/", views.contact_suggestions, name="contact_suggestions"),
    path("contact/thanks/<str:token>/", views.contact_thanks, name="contact_thanks"),
    path("articles/<int:page_id>/vote/", views.vote, name="vote"),
    path("articles/<int:page_id>/solved/", views.solved, name="solved"),
    path("articles/<int:page_id>/open/", views.open_suggestion, name="open_suggestion"),
    path("answers/open/", views.open_result, name="open_result"),
    path("requests/", views_requests.my_requests, name="my_requests"),
    path("requests/<str:reference>/", views_requests.request_detail, name="request"),
    path("requests/<str:reference>/solved/", views_requests.mark_solved, name="request_solved"),
]
