"""What the companies app holds of a person: their memberships, programme
registrations and the reports they subscribed to (see :mod:`accounts.personal_data`).

A member who leaves stays counted, anonymously, with their site and cost band: the
impact reports and the associations' yearly summaries divide and value by them."""

from allauth.socialaccount.models import SocialAccount
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Erasure, PersonalDataProvider, Section, section

from .models import (
    Company,
    CompanyMember,
    ProgrammeRegistration,
    ReportDelivery,
    ReportSubscription,
    TeamAssignment,
)


def export(user) -> list[Section]:
    return [
        section(
            "company_memberships",
            _("Entreprises"),
            CompanyMember.objects.filter(user=user),
            {
                "company__name": _("entreprise"),
                "role": _("rôle"),
                "site": _("site"),
                "allowance_hours_override": _("heures de mécénat annuelles (exception)"),
                "cost_band__name": _("tranche de coût horaire"),
                "joined_at": _("depuis le"),
            },
        ),
        section(
            "company_sign_ins",
            _("Connexions par le compte d'entreprise"),
            SocialAccount.objects.filter(user=user),
            {
                "provider": _("fournisseur"),
                "uid": _("identifiant chez le fournisseur"),
                "date_joined": _("première connexion"),
                "last_login": _("dernière connexion"),
            },
        ),
        section(
            "programme_registrations",
            _("Inscriptions aux programmes"),
            ProgrammeRegistration.objects.filter(volunteer__user=user),
            {"programme__name": _("programme"), "registered_at": _("inscrit le")},
        ),
        section(
            "teams",
            _("Équipes d'événements"),
            TeamAssignment.objects.filter(volunteer__user=user),
            {
                "programme__name": _("programme"),
                "mission__title": _("mission"),
                "created_at": _("créée le"),
            },
        ),
        section(
            "report_subscriptions",
            _("Rapports reçus par e-mail"),
            ReportSubscription.objects.filter(user=user),
            {
                "company__name": _("entreprise"),
                "association__name": _("association"),
                "frequency": _("fréquence"),
                "since": _("depuis le"),
            },
        ),
        section(
            "report_deliveries",
            _("Rapports envoyés"),
            ReportDelivery.objects.filter(user=user),
            {
                "company__name": _("entreprise"),
                "association__name": _("association"),
                "period_start": _("début de la période"),
                "period_end": _("fin de la période"),
                "sent_at": _("envoyé le"),
            },
        ),
    ]


def refusals(user) -> list:
    admin = CompanyMember.Role.PROGRAMME_ADMIN
    sole = (
        Company.objects.filter(
            pk__in=CompanyMember.objects.filter(user=user, role=admin).values("company_id")
        )
        .annotate(admins=Count("members", filter=Q(members__role=admin)))
        .filter(admins=1)
        .order_by("name")
    )
    return [
        _(
            "Vous êtes le seul responsable des programmes de « %(company)s » : confiez ce "
            "rôle à un autre membre, ou demandez à l'équipe de la plateforme de le faire, "
            "avant de supprimer votre compte."
        )
        % {"company": company.name}
        for company in sole
    ]


def erase(erasure: Erasure) -> None:
    user = erasure.user
    # Staff rights go; the membership stays for the figures. The people this person
    # managed are approved by the company's programme admins from now on.
    CompanyMember.objects.filter(user=user).update(role=CompanyMember.Role.EMPLOYEE)
    CompanyMember.objects.filter(manager=user).update(manager=None)
    # The link to the company's provider (and the claims it sent: name, address) goes.
    SocialAccount.objects.filter(user=user).delete()
    ReportSubscription.objects.filter(user=user).delete()
    ReportDelivery.objects.filter(user=user).delete()


def objects(user):
    return [
        CompanyMember.objects.filter(user=user),
        ProgrammeRegistration.objects.filter(volunteer__user=user),
    ]


PROVIDER = PersonalDataProvider(
    app="companies", export=export, erase=erase, objects=objects, refusals=refusals
)
