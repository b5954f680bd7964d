from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core import mail
from core.site import absolute_url
from legal.services import consent_record_current
from legal.views import client_ip

from .models import SignupRole, User

# allauth's e-mails that this configuration sends, and why each is sent (the footer).
# All are about the account itself: none can be unsubscribed from. Their templates
# (templates/account/email/<name>_subject.txt, _message.txt, _message.html) replace
# allauth's.
ACCOUNT_EMAIL_REASONS = {
    "account/email/email_confirmation_signup": _(
        "Vous recevez cet e-mail parce qu'un compte a été créé sur %(site)s avec cette "
        "adresse. Si ce n'est pas vous, ignorez-le : le compte ne sera pas activé."
    ),
    "account/email/email_confirmation": _(
        "Vous recevez cet e-mail parce que cette adresse a été ajoutée à un compte sur "
        "%(site)s. Si ce n'est pas vous, ignorez-le : elle ne sera pas confirmée."
    ),
    "account/email/password_reset_key": _(
        "Vous recevez cet e-mail parce qu'un nouveau mot de passe a été demandé pour votre "
        "compte sur %(site)s."
    ),
    "account/email/unknown_account": _(
        "Vous recevez cet e-mail parce que quelqu'un a demandé l'accès à un compte sur "
        "%(site)s avec cette adresse."
    ),
    "account/email/account_already_exists": _(
        "Vous recevez cet e-mail parce que quelqu'un a voulu créer un compte sur %(site)s "
        "avec cette adresse."
    ),
}


@dataclass(frozen=True)
class OnboardingStep:
    """The page where a person who signed up with a role starts, and how to tell that
    the space it creates exists already."""

    url_name: str
    done: Callable[[Any], bool]


# Filled by each side's app (volunteers, associations, companies) from its ``ready()``:
# accounts sits below them and must not import them.
ONBOARDING: dict[str, OnboardingStep] = {}


def register_onboarding(role: str, *, url_name: str, done: Callable[[Any], bool]) -> None:
    ONBOARDING[role] = OnboardingStep(url_name=url_name, done=done)


def onboarding_url(user) -> str | None:
    """Where a person should start, as long as the space they signed up for does not
    exist yet (their first login, or a later one if they stopped halfway)."""
    step = ONBOARDING.get(getattr(user, "signup_role", ""))
    if step is None:
        return None
    if step.done(user):
        return None
    try:
        return reverse(step.url_name)
    except NoReverseMatch:  # that space's pages are not installed
        return None


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per account ("key") and per address; keyed by the
        # account alone, five wrong passwords typed anywhere would lock the owner out
        # from everywhere. Keyed by (account, address), an attacker only locks
        # themselves out, and each address stays limited across all accounts.
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account_key}:{self.get_client_ip(request)}"

    # Links in allauth's e-mails lead to the site's public address (SITE_URL), the one
    # our own e-mails use, whatever host or port the request came through.
    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return absolute_url(super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email):
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": absolute_url(reverse("account_signup")),
                "password_reset_url": absolute_url(reverse("account_reset_password")),
            },
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails as all of ours (``core.mail``): text and HTML, the reason in
        the footer, in the language the person chose (the page's for an address that
        has no account)."""
        reason = ACCOUNT_EMAIL_REASONS.get(template_prefix)
        if reason is None:  # not sent with this configuration: allauth's own templates
            return super().send_mail(template_prefix, email, context)
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language() or "fr"
        data = {key: value for key, value in context.items() if key != "request"}
        data["email"] = email
        with translation.override(language[:2]):
            message = mail.build(
                to=email,
                language=language[:2],
                name=getattr(user, "first_name", ""),
                subject=render_to_string(f"{template_prefix}_subject.txt", data).strip(),
                template=f"{template_prefix}_message",
                context=data,
                reason=str(reason) % {"site": settings.SITE_NAME},
            )
        message.send()

    def save_user(self, request, user, form, commit=True):
        # E-mails to this person go out in the language they signed up in.
        user.language = (translation.get_language() or "fr")[:2]
        role = form.cleaned_data.get("role", "")
        if role in SignupRole.values:
            user.signup_role = role
        user = super().save_user(request, user, form, commit=commit)
        if commit and form.cleaned_data.get("accept_terms"):
            # The sign-up form requires the box: the consent is recorded with the account.
            consent_record_current(user=user, ip_address=client_ip(request))
        return user

    def get_login_redirect_url(self, request):
        target = onboarding_url(request.user) or super().get_login_redirect_url(request)
        if not request.user.has_name:
            # Accounts older than the names give theirs first, then go on.
            return f"{reverse('accounts:name')}?{urlencode({'next': target})}"
        return target

    def get_signup_redirect_url(self, request):
        # Reached once signed in: right after sign-up, or once the e-mail is confirmed.
        user = request.user
        return (user.is_authenticated and onboarding_url(user)) or super().get_signup_redirect_url(
            request
        )
