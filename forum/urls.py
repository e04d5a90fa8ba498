"""Public URLs of the forum app, mounted under the language prefix (/<lang>/forum/)."""

from django.urls import path

from forum.views import answers, asking, browsing, live, moderation, writing

app_name = "forum"

urlpatterns = [
    path("", browsing.forum_index, name="index"),
    path("c/<str:slug>/", browsing.category_page, name="category"),
    path("t/<int:pk>/", moderation.topic_redirect, name="topic_short"),
    path("p/<int:pk>/", browsing.post_redirect, name="post"),
    path("p/<int:pk>/history/", browsing.post_history, name="post_history"),
    path("u/<int:pk>/", browsing.member_page, name="member"),
    path("new/", writing.new_topic, name="new_topic"),
    path("t/<int:pk>/reply/", writing.reply_view, name="reply"),
    path("p/<int:pk>/edit/", writing.edit_view, name="edit_post"),
    path("p/<int:pk>/delete/", writing.delete_view, name="delete_post"),
    path("preview/", writing.preview, name="preview"),
    path("upload/", writing.upload_image, name="upload"),
    path("p/<int:pk>/vote/", answers.vote_view, name="vote"),
    path("p/<int:pk>/accept/", answers.accept_view, name="accept"),
    path("t/<int:pk>/clear-answer/", answers.clear_answer_view, name="clear_answer"),
    path("t/<int:pk>/draft-article/", answers.draft_article_view, name="draft_article"),
    path("similar/", asking.similar, name="similar"),
    path("t/<int:topic_pk>/posts/<int:post_pk>/fragment/", live.post_fragment, name="post_fragment"),
    path("t/<int:pk>/watch/", live.watch_view, name="watch"),
    path("t/<int:pk>/reply-count/", live.reply_count, name="reply_count"),
    path("notifications/", live.notification_list, name="notifications"),
    path("notifications/read/", live.mark_notifications_read, name="notifications_read"),
    path("notifications/settings/", live.notification_settings, name="notification_settings"),
    path("notifications/<int:pk>/", live.open_notification, name="open_notification"),
    path("p/<int:pk>/flag/", moderation.flag_view, name="flag"),
    path("moderation/", moderation.queue_view, name="moderation_queue"),
    path("moderation/log/", moderation.log_view, name="moderation_log"),
    path("moderation/p/<int:pk>/<str:action>/", moderation.post_action_view, name="moderate_post"),
    path("moderation/t/<int:pk>/move/", moderation.move_view, name="move_topic"),
    path("moderation/t/<int:pk>/merge/", moderation.merge_view, name="merge_topic"),
    path("moderation/t/<int:pk>/<str:tool>/", moderation.topic_tool_view, name="topic_tool"),
    path("moderation/u/<int:pk>/suspend/", moderation.suspend_view, name="suspend_member"),
    path("moderation/u/<int:pk>/unsuspend/", moderation.unsuspend_view, name="unsuspend_member"),
    # Last: its slug would otherwise match "reply", "clear-answer" and "draft-article". A merged
    # topic's address leads to the topic it was merged into.
    path("t/<int:pk>/<str:slug>/", moderation.topic_page, name="topic"),
]
