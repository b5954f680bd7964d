from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications et messages")

    def ready(self):
        from accounts.personal_data import register_personal_data

        from . import listeners  # noqa: F401  (registers the audit-log listeners)
        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)
