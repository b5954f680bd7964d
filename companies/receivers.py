from allauth.account.signals import email_confirmed, user_logged_in
from django.dispatch import receiver

from .selectors import sso_for_provider
from .services import company_join_by_email_domain
from .sso import company_join_by_sso
from .sso_adapter import sociallogin_email


@receiver(email_confirmed)
def join_company_on_confirmed_email(sender, request, email_address, **kwargs):
    # Only a confirmed address proves the person works for the company.
    company_join_by_email_domain(user=email_address.user, email=email_address.email)


@receiver(user_logged_in)
def join_company_on_company_sign_in(sender, request, user, sociallogin=None, **kwargs):
    # A sign-in through the company's own provider (its adapter checked the domain)
    # proves it as well.
    if sociallogin is None:
        return
    sso = sso_for_provider(sociallogin.account.provider)
    if sso is not None:
        company_join_by_sso(user=user, sso=sso, email=sociallogin_email(sociallogin))
