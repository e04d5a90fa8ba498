"""Public URLs of the support app, mounted under the language prefix (/<lang>/support/)."""

app_name = "support"

urlpatterns: list = []
