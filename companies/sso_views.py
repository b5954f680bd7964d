"""Pages of company single sign-on: the programme admin's settings, and the public
page where a person types their work address to be sent to their company's provider."""

from allauth.socialaccount.providers.base.constants import AuthProcess
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

from core.forms import add_service_errors
from core.site import absolute_url

from . import sso
from .forms import CompanySSOForm, SSOStartForm
from .models import CompanySSO
from .selectors import sso_for_email, sso_provider_id
from .views import _programme_admin


def _callback_url(company_id: int) -> str:
    # Sign-ins go through the French addresses (the default language, without prefix),
    # so that the provider knows a single return address.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(
            reverse("openid_connect_callback", kwargs={"provider_id": sso_provider_id(company_id)})
        )


@login_required
def sso_settings(request):
    member = _programme_admin(request)
    company = member.company
    current = CompanySSO.objects.filter(company=company).select_related("app").first()
    initial = {}
    if current is not None:
        initial = {
            "issuer_url": current.app.settings.get("server_url", ""),
            "client_id": current.app.client_id,
            "domains": list(current.domains.all()),
            "is_enabled": current.is_enabled,
            "is_mandatory": current.is_mandatory,
        }
    form = CompanySSOForm(
        request.POST or None, initial=initial, company=company, has_secret=current is not None
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
            with translation.override(settings.LANGUAGE_CODE):
                return provider.redirect(
                    request,
                    AuthProcess.LOGIN,
                    next_url=_next_url(request) or None,
                    auth_params={"login_hint": email},
                )
    return render(request, "companies/sso_start.html", {"form": form, "next": _next_url(request)})
