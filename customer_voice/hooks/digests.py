"""Wagtail hooks: digests (the read-only list of issues in the "Customer voice" submenu)."""

from wagtail import hooks

from customer_voice.viewsets_digests import digest_issue_viewset


@hooks.register("register_admin_viewset")
def register_digest_issues():
    return digest_issue_viewset
