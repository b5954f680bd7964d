from allauth.account.adapter import DefaultAccountAdapter
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from .models import SignupRole


def _has_volunteer_profile(user) -> bool:
    from volunteers.models import VolunteerProfile

    return VolunteerProfile.objects.filter(user=user).exists()


def _is_association_member(user) -> bool:
    from associations.models import AssociationMember

    return AssociationMember.objects.filter(user=user).exists()


def _runs_a_company(user) -> bool:
    from companies.models import CompanyMember

    # Joining as an employee through one's e-mail domain is not representing the company.
    return (
        CompanyMember.objects.filter(user=user).exclude(role=CompanyMember.Role.EMPLOYEE).exists()
    )


# Per sign-up role: the onboarding page, and whether that space already exists.
ONBOARDING = {
    SignupRole.VOLUNTEER: ("volunteers:profile", _has_volunteer_profile),
    SignupRole.ASSOCIATION: ("asso:register", _is_association_member),
    SignupRole.COMPANY: ("companies:register", _runs_a_company),
}


def onboarding_url(user) -> str | None:
    """Where a person should start, as long as the space they signed up for does not
    exist yet (their first login, or a later one if they stopped halfway)."""
    step = ONBOARDING.get(getattr(user, "signup_role", ""))
    if step is None:
        return None
    url_name, done = step
    if done(user):
        return None
    try:
        return reverse(url_name)
    except NoReverseMatch:  # that space's pages are not installed
        return None


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # E-mails to this person go out in the language they signed up in.
        user.language = (translation.get_language() or "fr")[:2]
        role = form.cleaned_data.get("role", "")
        if role in SignupRole.values:
            user.signup_role = role
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        return onboarding_url(request.user) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Reached once signed in: right after sign-up, or once the e-mail is confirmed.
        user = request.user
        return (user.is_authenticated and onboarding_url(user)) or super().get_signup_redirect_url(
            request
        )
