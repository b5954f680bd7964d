"""The welcome e-mails of a company's programme admins (see ``notifications.welcome``):
invite the employees, create a first programme, subscribe to the impact report.
Registered from ``CompaniesConfig.ready()``, ahead of the associations' and the
volunteers' sequences."""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import SignupRole, User
from notifications.services import link
from notifications.welcome import Sequence, WelcomeStep, WelcomeWording

from .models import Company, CompanyMember, ReportSubscription


def _company(user: User) -> Company | None:
    member = (
        CompanyMember.objects.filter(user=user, role=CompanyMember.Role.PROGRAMME_ADMIN)
        .select_related("company")
        .order_by("pk")
        .first()
    )
    return member.company if member is not None else None


def _runs_a_company(user: User) -> bool:
    """A programme admin, or someone who signed up for a company not registered yet."""
    if CompanyMember.objects.filter(user=user, role=CompanyMember.Role.PROGRAMME_ADMIN).exists():
        return True
    return (
        user.signup_role == SignupRole.COMPANY
        and not CompanyMember.objects.filter(user=user).exists()
    )


def _has_invited(user: User) -> bool:
    company = _company(user)
    return company is not None and company.members.exclude(user=user).exists()


def _has_programme(user: User) -> bool:
    company = _company(user)
    return company is not None and company.programmes.exists()


def _has_subscribed(user: User) -> bool:
    company = _company(user)
    return (
        company is not None
        and ReportSubscription.objects.filter(user=user, company=company).exists()
    )


def _day0(user: User) -> WelcomeWording:
    company = _company(user)
    if company is None:
        return WelcomeWording(
            subject=_("Bienvenue : enregistrez votre entreprise"),
            title=_("Enregistrez votre entreprise ou votre fondation"),
            paragraphs=[
                _(
                    "Bienvenue sur %(site)s ! Vos salariés y donnent leurs compétences aux "
                    "associations, sur leur temps de travail, dans les règles que vous fixez."
                )
                % {"site": settings.SITE_NAME},
                _(
                    "Première étape : enregistrer votre structure avec son numéro SIREN. "
                    "L'équipe le vérifie, puis vous invitez vos salariés."
                ),
            ],
            action=_("Enregistrer mon entreprise"),
            url=link("companies:register"),
        )
    paragraphs = [
        _(
            "Bienvenue dans l'espace de %(company)s ! Invitez vos salariés : chacun verra "
            "son enveloppe d'heures de mécénat, trouvera les missions qui lui correspondent "
            "et s'engagera sur son temps de travail, avec votre accord."
        )
        % {"company": company.name}
    ]
    if not company.is_verified:
        paragraphs.append(
            _(
                "L'équipe de la plateforme vérifie votre numéro SIREN : vous pourrez inviter "
                "vos salariés dès qu'il sera confirmé. Réglez en attendant l'enveloppe "
                "annuelle et les règles de validation."
            )
        )
    return WelcomeWording(
        subject=_("Bienvenue : invitez vos salariés"),
        title=_("Invitez vos salariés"),
        paragraphs=paragraphs,
        action=_("Inviter mes salariés"),
        url=link("companies:employees"),
    )


def _day3(user: User) -> WelcomeWording:
    return WelcomeWording(
        subject=_("Créez votre premier programme"),
        title=_("Donnez un cadre à l'engagement de vos salariés"),
        paragraphs=[
            _(
                "Un programme rassemble vos salariés autour d'un temps fort : un Probono "
                "Marathon d'une journée, une semaine du pro bono, une campagne autour d'une "
                "cause. Vous choisissez les causes, les territoires et le budget d'heures ; "
                "les associations y proposent leurs missions."
            )
        ],
        action=_("Créer un programme"),
        url=link("companies:programme_create"),
    )


def _day10(user: User) -> WelcomeWording:
    return WelcomeWording(
        subject=_("Recevez votre rapport d'impact chaque mois"),
        title=_("Suivez l'impact de votre mécénat"),
        paragraphs=[
            _(
                "Le rapport d'impact compte les heures prévues et validées, les salariés "
                "engagés, les associations aidées, leur avis, la valorisation et la "
                "réduction d'impôt estimée."
            ),
            _(
                "Abonnez-vous sur la page du rapport : ses chiffres clés et le PDF arrivent "
                "dans votre boîte mail à la fin de chaque mois ou de chaque trimestre."
            ),
        ],
        action=_("M'abonner au rapport d'impact"),
        url=link("companies:reports"),
    )


COMPANY = Sequence(
    role="company",
    applies=_runs_a_company,
    steps=(
        WelcomeStep(day=0, done=_has_invited, word=_day0),
        WelcomeStep(day=3, done=_has_programme, word=_day3),
        WelcomeStep(day=10, done=_has_subscribed, word=_day10),
    ),
    priority=10,
)
