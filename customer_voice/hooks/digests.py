"""Wagtail hooks: digests."""
