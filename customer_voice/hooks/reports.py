"""Wagtail hooks: reports."""
