from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions et engagements")

    def ready(self):
        from accounts.personal_data import register_personal_data

        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)
