from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications et messages")

    def ready(self):
        from . import listeners  # noqa: F401  (registers the audit-log listeners)
