"""Council URLs: the roadmap (see customer_council/urls/__init__.py)."""

urlpatterns = []
