"""/<lang>/stories/share/: customers propose a story (stories.views_submissions). Included by
stories.urls without a namespace of its own, so the names are "stories:share" and
"stories:share_thanks"."""

from django.urls import path

from stories import views_submissions

urlpatterns = [
    path("", views_submissions.share, name="share"),
    path("thanks/", views_submissions.thanks, name="share_thanks"),
]
