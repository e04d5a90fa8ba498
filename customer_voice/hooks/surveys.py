"""Wagtail hooks: surveys."""
