"""Council URLs: the meetings (see customer_council/urls/__init__.py)."""

urlpatterns = []
