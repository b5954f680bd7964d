"""allauth's side of company single sign-on (``SOCIALACCOUNT_ADAPTER``).

A company's provider vouches only for the addresses of the domains the company allowed
(among those platform staff verified as its own): those addresses count as confirmed,
any other is refused with a page that says why, and so is a sign-in through a company
sign-in that is turned off or a company no longer verified."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import SignupRole

from .models import CompanySSO
from .selectors import email_domain, sso_allowed_domains, sso_for_provider


def sociallogin_email(sociallogin) -> str:
    addresses = [a.email for a in sociallogin.email_addresses if a.email]
    return (addresses[0] if addresses else sociallogin.user.email or "").strip().lower()


def _refuse(request, message: str):
    return ImmediateHttpResponse(
        render(request, "companies/sso_refused.html", {"message": message}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        sso = sso_for_provider(sociallogin.account.provider)
        if sso is not None:
            allowed = sso_allowed_domains(sso)
            for address in sociallogin.email_addresses:
                address.email = address.email.strip().lower()
                address.verified = email_domain(address.email) in allowed
        # A person who arrives through their employer signs up as a volunteer, in the
        # page's language (that of their e-mails).
        user.signup_role = SignupRole.VOLUNTEER
        user.language = (translation.get_language() or "fr")[:2]
        return user

    def pre_social_login(self, request, sociallogin):
        sso: CompanySSO | None = sso_for_provider(sociallogin.account.provider)
        if sso is None or not sso.is_enabled or not sso.company.is_verified:
            raise _refuse(
                request,
                _(
                    "La connexion par le compte de cette entreprise n'est pas active : "
                    "connectez-vous avec votre adresse e-mail et votre mot de passe."
                ),
            )
        email = sociallogin_email(sociallogin)
        if email_domain(email) not in sso_allowed_domains(sso):
            raise _refuse(
                request,
                _(
                    "Votre compte d'entreprise (%(email)s) n'appartient pas aux domaines "
                    "que %(company)s a ouverts à la connexion d'entreprise. Demandez à "
                    "votre responsable des programmes de l'ajouter, ou connectez-vous avec "
                    "votre mot de passe."
                )
                % {"email": email or _("adresse inconnue"), "company": sso.company.name},
            )
