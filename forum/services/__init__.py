"""Every forum mutation, in one place each: views, consumers, commands and tests call these.

Each checks the rules (forum.permissions), writes, and announces the change with a forum signal
after the transaction commits (forum.signals). Refusals raise ActionRefused (400), NotAllowed
(403) or TooManyPosts (429) with a message for the member.
"""

from forum.services.answers import accept_answer, clear_answer
from forum.services.attachments import store_image
from forum.services.drafts import draft_article_from_topic
from forum.services.errors import ActionRefused, NotAllowed, TooManyPosts
from forum.services.posting import create_topic, delete_post, edit_post, reply
from forum.services.reading import mark_read, record_view
from forum.services.votes import unvote, vote

__all__ = [
    "ActionRefused",
    "NotAllowed",
    "TooManyPosts",
    "accept_answer",
    "clear_answer",
    "create_topic",
    "delete_post",
    "draft_article_from_topic",
    "edit_post",
    "mark_read",
    "record_view",
    "reply",
    "store_image",
    "unvote",
    "vote",
]
