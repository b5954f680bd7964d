from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Journal et mécanismes communs")

    def ready(self) -> None:
        # Their Celery signal receivers (request id and task metrics) connect on import,
        # in the web processes and in the workers alike.
        from . import metrics, request_id  # noqa: F401
