"""Wagtail hooks: detractor follow-ups in the Support menu (after the inbox) and their audit log
actions. Defined in customer_voice.viewsets_followups and customer_voice.audit."""

from wagtail import hooks

from customer_voice import audit
from customer_voice.viewsets_followups import FollowUpViewSet


@hooks.register("register_log_actions")
def register_follow_up_log_actions(actions):
    audit.register(actions)


@hooks.register("register_admin_viewset")
def register_follow_ups():
    return FollowUpViewSet("customer_voice_follow_ups", url_prefix="support/follow-ups")
