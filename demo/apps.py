from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo dataset and its ``seed_demo`` command. At the top of the project's
    layers, it may import every other app; no app imports it."""

    name = "demo"
