from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import company_join_by_email_domain


@receiver(email_confirmed)
def join_company_on_confirmed_email(sender, request, email_address, **kwargs):
    # Only a confirmed address proves the person works for the company.
    company_join_by_email_domain(user=email_address.user, email=email_address.email)
