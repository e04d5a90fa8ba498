from wagtail.snippets.models import register_snippet

from stories.viewsets import CustomerViewSet

register_snippet(CustomerViewSet)
