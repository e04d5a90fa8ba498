"""Wagtail hooks: referrals."""
