from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Journal et mécanismes communs")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .site import sync_current_site

        # After django.contrib.sites creates its example.com row (its own post_migrate
        # handler, connected first), the row takes the site's name and address.
        post_migrate.connect(
            sync_current_site,
            sender=apps.get_app_config("sites"),
            dispatch_uid="core.sync_current_site",
        )
        # Their Celery signal receivers (request id and task metrics) connect on import,
        # in the web processes and in the workers alike.
        from . import metrics, request_id  # noqa: F401
