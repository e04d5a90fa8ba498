"""The forum's models: categories, topics, posts and what members do with them.

Submodules by concern; this package only re-exports them. Lower submodules never import higher
ones (categories <- topics <- posts <- members).
"""

from forum.models.categories import Category
from forum.models.members import BadgeAward, MemberStats, TopicReadState
from forum.models.moderation import Flag, MemberRestriction, ModerationAction, TopicRedirect
from forum.models.notifications import Notification, NotificationPreference, TopicWatch
from forum.models.posts import Attachment, Post, PostRevision, PostVote
from forum.models.topics import Tag, Topic

__all__ = [
    "Attachment",
    "BadgeAward",
    "Category",
    "Flag",
    "MemberRestriction",
    "MemberStats",
    "ModerationAction",
    "Notification",
    "NotificationPreference",
    "Post",
    "PostRevision",
    "PostVote",
    "Tag",
    "Topic",
    "TopicReadState",
    "TopicWatch",
    "TopicRedirect",
]
