from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def has_volunteer_profile(user) -> bool:
    from .models import VolunteerProfile

    return VolunteerProfile.objects.filter(user=user).exists()


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Bénévoles")

    def ready(self):
        from accounts.adapters import register_onboarding
        from accounts.models import SignupRole
        from accounts.personal_data import register_personal_data

        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)

        register_onboarding(
            SignupRole.VOLUNTEER, url_name="volunteers:profile", done=has_volunteer_profile
        )
