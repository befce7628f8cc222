from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo logins and articles for a development machine (`make run`, DEBUG only)."""

    name = "annotator.demo"
