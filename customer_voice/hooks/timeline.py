"""Wagtail hooks: timeline."""
