"""Signals the knowledge base sends, so higher layers (support) can listen without kb importing them."""

from django.dispatch import Signal

#: A reader (not a bot, not a preview) opened an article page.
article_viewed = Signal()  # provides args: page, request
