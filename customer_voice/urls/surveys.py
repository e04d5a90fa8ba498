"""URLs: surveys, under /<lang>/feedback/ (see customer_voice.urls)."""

from django.urls import path

from customer_voice.views import surveys as views

urlpatterns = [
    path("nps/", views.nps, name="nps"),
    path("nps/dismiss/", views.dismiss_nps_prompt, name="nps_dismiss"),
    path("answer/<str:signed>/", views.survey, name="survey"),
    path("answer/<str:signed>/thanks/", views.thanks, name="survey_thanks"),
]
