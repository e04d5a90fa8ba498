from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Builds the demo site. The top layer: it may import every other app, none imports it."""

    name = "demo"
    verbose_name = "Demo content"
