from django.db import transaction

from .models import CompanyDomain, CompanyMember


@transaction.atomic
def company_join_by_email_domain(*, user, email: str) -> CompanyMember | None:
    """Make ``user`` an employee of the company that owns the domain of ``email``.

    Call it only with a confirmed address. Existing memberships are kept as they are.
    """
    domain = email.rsplit("@", 1)[-1].strip().lower()
    company_domain = CompanyDomain.objects.select_related("company").filter(domain=domain).first()
    if company_domain is None:
        return None
    member, _created = CompanyMember.objects.get_or_create(
        company=company_domain.company, user=user
    )
    return member
