"""Who may use the council's admin screens."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from customer_council.access import MANAGERS_GROUP, is_manager


class CouncilManagersPolicy(ModelPermissionPolicy):
    """Council managers (and superusers) may do everything with the council's models; others only
    what Django permissions grant them. A policy, not a data migration, so the grant lives next to
    the one rule of who is a manager and cannot drift from it."""

    def user_has_permission(self, user, action):
        return is_manager(user) or super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return is_manager(user) or super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        managers = Q(is_active=True) & (Q(is_superuser=True) | Q(groups__name=MANAGERS_GROUP))
        granted = super().users_with_any_permission(actions).values("pk")
        return get_user_model().objects.filter(managers | Q(pk__in=granted)).distinct()
