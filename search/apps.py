from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche de missions")

    def ready(self):
        from accounts.personal_data import register_personal_data

        from . import listeners  # noqa: F401
        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)
