"""What happened in the forum, for live updates and notifications to listen to.

Every signal is sent by forum.services only after the transaction commits
(``transaction.on_commit``), so a rolled-back write never reaches a receiver. Receivers get ids
of things that changed and must check permissions (forum.permissions) before showing anything.
"""

from django.dispatch import Signal

#: A post was created (a new topic's opening post or a reply).
post_created = Signal()  # provides args: post
#: A held post was approved by a moderator (post_created is sent for it too, just before).
post_approved = Signal()  # provides args: post, by
#: A post's text was edited, or it was deleted (post.deleted_at set).
post_edited = Signal()  # provides args: post
#: A question's answer was accepted (clearing it sends topic_changed).
answer_accepted = Signal()  # provides args: topic, post, by
#: A post's score changed (upvote or its removal).
post_voted = Signal()  # provides args: post
#: A topic's state changed: locked, pinned, hidden, moved, retitled, deleted, answer cleared.
topic_changed = Signal()  # provides args: topic
