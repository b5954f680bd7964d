from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API partenaires")

    def ready(self):
        # Registers the audit-log listeners that turn actions into webhook deliveries,
        # and the OpenAPI description of the key authentication.
        from accounts.personal_data import register_personal_data

        from . import auth, webhooks  # noqa: F401
        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)
