from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from forum.models import Category
from forum.permissions import is_moderator
from forum.search import reindex_category_after_commit
from forum.viewsets import CategoryViewSet

register_snippet(CategoryViewSet)


@hooks.register("after_edit_snippet")
def reindex_an_edited_category(request, instance):
    # A changed restriction or name changes who may find its topics and the facet they show under.
    if isinstance(instance, Category):
        reindex_category_after_commit(instance)


class ModerationQueueMenuItem(MenuItem):
    """The forum's review queue lives on the public site, beside the topics it acts on."""

    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_queue_menu_item():
    return ModerationQueueMenuItem(
        _("Forum moderation"), reverse_lazy("forum:moderation_queue"), icon_name="warning", order=311
    )
