from wagtail import hooks
from wagtail.snippets.models import register_snippet

from forum.models import Category
from forum.search import reindex_category_after_commit
from forum.viewsets import CategoryViewSet

register_snippet(CategoryViewSet)


@hooks.register("after_edit_snippet")
def reindex_an_edited_category(request, instance):
    # A changed restriction or name changes who may find its topics and the facet they show under.
    if isinstance(instance, Category):
        reindex_category_after_commit(instance)
