"""Council URLs: the feedback board (see customer_council/urls/__init__.py)."""

from django.urls import path

from customer_council.views import ideas

urlpatterns = [
    path("", ideas.board, name="ideas"),
    path("new/", ideas.new_idea, name="idea_new"),
    path("similar/", ideas.similar, name="ideas_similar"),
    path("<int:pk>/", ideas.detail, name="idea"),
    path("<int:pk>/status-panel/", ideas.status_panel, name="idea_status_panel"),
    path("<int:pk>/vote/", ideas.vote, name="idea_vote"),
    path("<int:pk>/follow/", ideas.follow, name="idea_follow"),
    path("<int:pk>/comment/", ideas.comment, name="idea_comment"),
    path("<int:pk>/status/", ideas.change_status, name="idea_status"),
    path("<int:pk>/team/", ideas.assign_team, name="idea_team"),
    path("<int:pk>/merge/", ideas.merge, name="idea_merge"),
    path("merges/<int:pk>/undo/", ideas.undo_merge, name="idea_merge_undo"),
]
