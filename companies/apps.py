from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Entreprises et fondations")

    def ready(self):
        from . import listeners  # noqa: F401  (registers the audit-log listeners)
