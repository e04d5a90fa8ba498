"""Public URLs of the forum app, mounted under the language prefix (/<lang>/forum/)."""

app_name = "forum"

urlpatterns: list = []
