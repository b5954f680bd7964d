"""The needs diagnosis: a few questions per domain, each answer pointing to the mission
templates that meet the need it reveals.

Plain data and one pure function, so that the questionnaire is read and tested without
a database. Template codes refer to ``missions.MissionTemplate.code``.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Option:
    value: str
    label: "StrOrPromise"
    templates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    name: str
    label: "StrOrPromise"
    options: tuple[Option, ...]
    multiple: bool = False


@dataclass(frozen=True)
class Domain:
    code: str
    label: "StrOrPromise"
    questions: tuple[Question, ...]


NONE = "none"

DOMAINS: tuple[Domain, ...] = (
    Domain(
        "digital",
        _("Numérique"),
        (
            Question(
                "digital_website",
                _("Votre site web aujourd'hui"),
                (
                    Option("missing", _("Nous n'en avons pas"), ("website_creation",)),
                    Option(
                        "outdated",
                        _("Il existe mais il est daté ou difficile à mettre à jour"),
                        ("website_creation",),
                    ),
                    Option("fine", _("Il nous convient")),
                ),
            ),
            Question(
                "digital_tools",
                _("Ce qui vous freine au quotidien"),
                (
                    Option(
                        "spreadsheets",
                        _(
                            "Le suivi des adhérents ou bénéficiaires est éparpillé "
                            "dans des tableurs"
                        ),
                        ("crm_setup",),
                    ),
                    Option(
                        "security",
                        _("Nous ne savons pas si nos données sont sauvegardées et protégées"),
                        ("it_security",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
    Domain(
        "communication",
        _("Communication"),
        (
            Question(
                "communication_plan",
                _("Savez-vous à qui vous parlez et avec quels messages ?"),
                (
                    Option(
                        "no",
                        _("Pas vraiment : nous communiquons au fil de l'eau"),
                        ("communication_plan",),
                    ),
                    Option("yes", _("Oui, nous avons un plan de communication")),
                ),
            ),
            Question(
                "communication_needs",
                _("Vos besoins"),
                (
                    Option(
                        "social",
                        _("Publier régulièrement sur les réseaux sociaux"),
                        ("social_media",),
                    ),
                    Option(
                        "identity",
                        _("Un logo et une image qui nous ressemblent"),
                        ("visual_identity",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
    Domain(
        "finance",
        _("Finances"),
        (
            Question(
                "finance_budget",
                _("Avez-vous un budget et un plan de trésorerie à jour ?"),
                (
                    Option(
                        "no",
                        _("Non, nous découvrons les difficultés au dernier moment"),
                        ("budget_treasury",),
                    ),
                    Option("yes", _("Oui")),
                ),
            ),
            Question(
                "finance_needs",
                _("Vos besoins"),
                (
                    Option(
                        "accounting",
                        _("Notre comptabilité est à structurer"),
                        ("accounting_setup",),
                    ),
                    Option(
                        "grants",
                        _("Nous voulons obtenir des subventions publiques"),
                        ("grant_application",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
    Domain(
        "legal",
        _("Juridique"),
        (
            Question(
                "legal_needs",
                _("Ce qui vous inquiète"),
                (
                    Option(
                        "statutes",
                        _("Nos statuts ne correspondent plus à notre fonctionnement"),
                        ("statutes_review",),
                    ),
                    Option(
                        "gdpr",
                        _(
                            "Nous gérons des données personnelles sans savoir "
                            "si c'est conforme au RGPD"
                        ),
                        ("gdpr_compliance",),
                    ),
                    Option(
                        "contracts",
                        _("Nos contrats de travail n'ont jamais été relus"),
                        ("employment_contracts",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
    Domain(
        "hr",
        _("Ressources humaines"),
        (
            Question(
                "hr_volunteers",
                _("Vos bénévoles restent-ils ?"),
                (
                    Option(
                        "turnover",
                        _("Beaucoup partent après quelques semaines"),
                        ("volunteer_management",),
                    ),
                    Option("fine", _("Oui, dans l'ensemble")),
                ),
            ),
            Question(
                "hr_hiring",
                _("Prévoyez-vous de recruter un salarié cette année ?"),
                (
                    Option(
                        "yes",
                        _("Oui, ce serait notre premier ou l'un de nos premiers"),
                        ("recruitment",),
                    ),
                    Option("no", _("Non")),
                ),
            ),
        ),
    ),
    Domain(
        "strategy",
        _("Stratégie"),
        (
            Question(
                "strategy_needs",
                _("Ce qui vous manque"),
                (
                    Option(
                        "plan", _("Un cap partagé pour les prochaines années"), ("strategic_plan",)
                    ),
                    Option(
                        "impact",
                        _("Des chiffres pour montrer notre impact"),
                        ("impact_measurement",),
                    ),
                    Option(
                        "model",
                        _("Des ressources moins dépendantes d'un seul financeur"),
                        ("business_model",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
    Domain(
        "fundraising",
        _("Collecte de fonds"),
        (
            Question(
                "fundraising_needs",
                _("Vos besoins"),
                (
                    Option(
                        "strategy",
                        _("Nous n'avons pas de stratégie de collecte auprès des particuliers"),
                        ("fundraising_strategy",),
                    ),
                    Option(
                        "companies",
                        _("Nous aimerions des entreprises mécènes"),
                        ("corporate_sponsorship",),
                    ),
                    Option(
                        "crowdfunding",
                        _("Nous voulons financer un projet précis en ligne"),
                        ("crowdfunding",),
                    ),
                ),
                multiple=True,
            ),
        ),
    ),
)

QUESTIONS = {question.name: question for domain in DOMAINS for question in domain.questions}


def templates_for(answers: dict[str, list[str]]) -> list[str]:
    """The template codes the answers call for, in questionnaire order, without repeats."""
    codes: list[str] = []
    for domain in DOMAINS:
        for question in domain.questions:
            chosen = set(answers.get(question.name, ()))
            for option in question.options:
                if option.value in chosen:
                    codes.extend(code for code in option.templates if code not in codes)
    return codes
