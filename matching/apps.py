from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Mise en relation")

    def ready(self) -> None:
        from accounts.personal_data import register_personal_data
        from missions import suggestions

        from . import listeners  # noqa: F401  (registers the audit-log listeners)
        from .admin import suggestions_table
        from .forms import HideForm
        from .personal_data import PROVIDER
        from .selectors import mission_suggestions, suggested_factors
        from .services import suggestion_hide

        suggestions.provide(
            suggestions.SuggestionProvider(
                for_mission=mission_suggestions,
                factors=suggested_factors,
                hide=suggestion_hide,
                hide_form=HideForm,
                staff_table=suggestions_table,
            )
        )
        register_personal_data(PROVIDER)
