from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def is_association_member(user) -> bool:
    from .models import AssociationMember

    return AssociationMember.objects.filter(user=user).exists()


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Associations")

    def ready(self):
        from accounts.adapters import register_onboarding
        from accounts.models import SignupRole
        from accounts.personal_data import register_personal_data

        from .personal_data import PROVIDER

        register_onboarding(
            SignupRole.ASSOCIATION, url_name="asso:register", done=is_association_member
        )
        register_personal_data(PROVIDER)
