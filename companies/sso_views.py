"""Pages of company single sign-on: the programme admin's settings, and the public
page where a person types their work address to be sent to their company's provider."""

import logging

from allauth.socialaccount.providers.base.constants import AuthError, AuthProcess
from allauth.socialaccount.providers.saml import views as saml_views
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from lxml import etree
from onelogin.saml2.errors import OneLogin_Saml2_Error

from core.forms import add_service_errors
from core.site import absolute_url

from . import sso
from .forms import CompanySSOForm, SSOStartForm
from .models import CompanySSO
from .selectors import email_domain, sso_for_email, sso_provider_id
from .views import _programme_admin

logger = logging.getLogger(__name__)


def _callback_url(company_id: int) -> str:
    # Sign-ins go through the French addresses (the default language, without prefix),
    # so that the provider knows a single return address.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(
            reverse("openid_connect_callback", kwargs={"provider_id": sso_provider_id(company_id)})
        )


def _pem(body: str) -> str:
    if not body:
        return ""
    lines = [body[at : at + 64] for at in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"])


@login_required
def sso_settings(request):
    member = _programme_admin(request)
    company = member.company
    current = CompanySSO.objects.filter(company=company).select_related("app").first()
    initial: dict = {}
    if current is not None:
        initial = {
            "protocol": current.protocol,
            "domains": list(current.domains.all()),
            "is_enabled": current.is_enabled,
            "is_mandatory": current.is_mandatory,
        }
        if current.protocol == sso.OIDC:
            initial["issuer_url"] = current.app.settings.get("server_url", "")
            initial["client_id"] = current.app.client_id
        else:
            idp = current.app.settings.get("idp", {})
            initial["saml_metadata_url"] = idp.get("metadata_url", "")
            initial["saml_entity_id"] = idp.get("entity_id", "")
            initial["saml_sso_url"] = idp.get("sso_url", "")
            initial["saml_certificate"] = _pem(idp.get("x509cert", ""))
    form = CompanySSOForm(
        request.POST or None,
        initial=initial,
        company=company,
        has_secret=current is not None and current.protocol == sso.OIDC,
    )
    if request.method == "POST" and company.is_verified and form.is_valid():
        try:
            sso.company_sso_update(
                company_id=company.pk, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La connexion d'entreprise est enregistrée."))
            return redirect("companies:sso_settings")
    return render(
        request,
        "companies/sso_settings.html",
        {
            "member": member,
            "company": company,
            "form": form,
            "current": current,
            "callback_url": _callback_url(company.pk),
            "saml": sso.saml_service_provider_urls(company.pk),
            "has_domains": company.domains.exists(),
        },
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# The form is answered by a redirect to the company's provider, which browsers check
# against the page's form-action: any https address (which one depends on the address
# typed), and a provider on the same machine for development. The page shows nothing
# but this form.
@csp_update({"form-action": ["https:", "http://127.0.0.1:*", "http://localhost:*"]})
def sso_start(request):
    """ "Se connecter avec le compte de mon entreprise": the person's work address picks
    their company's provider (no list of companies is ever shown)."""
    form = SSOStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        company_sso = sso_for_email(email)
        if company_sso is None:
            form.add_error(
                "email",
                _(
                    "Aucune connexion d'entreprise n'est ouverte pour cette adresse : "
                    "connectez-vous avec votre adresse e-mail et votre mot de passe."
                ),
            )
        else:
            provider = company_sso.app.get_provider(request)
            extra = (
                {"auth_params": {"login_hint": email}} if company_sso.protocol == sso.OIDC else {}
            )
            try:
                with translation.override(settings.LANGUAGE_CODE):
                    return provider.redirect(
                        request, AuthProcess.LOGIN, next_url=_next_url(request) or None, **extra
                    )
            except (OSError, OneLogin_Saml2_Error, ValueError):
                # The SAML provider's metadata, read again every few hours, did not answer.
                logger.warning(
                    "company sign-in: the provider of %s did not answer",
                    email_domain(email),
                    exc_info=True,
                )
                form.add_error(
                    "email",
                    _(
                        "Le fournisseur d'identité de votre entreprise ne répond pas pour le "
                        "moment : réessayez dans quelques minutes."
                    ),
                )
    return render(request, "companies/sso_start.html", {"form": form, "next": _next_url(request)})


def saml_finish_acs(request, organization_slug: str):
    """allauth's end of a SAML sign-in (mounted at its address, before it), whose XML
    parser raises on a malformed response (not XML, a DTD, entities) instead of
    reporting it: such a response is refused like any other that cannot be trusted."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except (ValueError, etree.LxmlError):
        logger.warning("company sign-in: a malformed SAML response was refused", exc_info=True)
        return render(
            request,
            "socialaccount/authentication_error.html",
            {"auth_error": {"code": AuthError.UNKNOWN}},
            status=401,
        )
