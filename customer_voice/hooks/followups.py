"""Wagtail hooks: followups."""
