from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def runs_a_company(user) -> bool:
    from .models import CompanyMember

    # Joining as an employee through one's e-mail domain is not representing the company.
    return (
        CompanyMember.objects.filter(user=user).exclude(role=CompanyMember.Role.EMPLOYEE).exists()
    )


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Entreprises et fondations")

    def ready(self):
        from accounts.adapters import register_onboarding, register_password_rule
        from accounts.models import SignupRole
        from accounts.personal_data import register_personal_data
        from notifications.welcome import register_sequence

        from . import listeners, receivers  # noqa: F401  (audit-log listeners, allauth signals)
        from .personal_data import PROVIDER
        from .sso import password_refusal
        from .welcome import COMPANY

        register_onboarding(SignupRole.COMPANY, url_name="companies:register", done=runs_a_company)
        register_personal_data(PROVIDER)
        register_password_rule(password_refusal)
        register_sequence(COMPANY)
