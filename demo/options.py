"""What the demo is asked for and what it gives back: the options, the listed
accounts and their shared password, the result."""

from dataclasses import dataclass, field

DEMO_PASSWORD = "probono-demo"
MARKER_EMAIL = "admin@probono.test"
ENGLISH_VOLUNTEER_EMAIL = "volunteer@probono.test"
PENDING_ASSOCIATION_EMAIL = "association-en-attente@probono.test"
REJECTED_ASSOCIATION_EMAIL = "association-refusee@probono.test"
# What people said they were when signing up (``accounts.SignupRole``).
VOLUNTEER_ROLE, ASSOCIATION_ROLE, COMPANY_ROLE = "volunteer", "association", "company"
# Volunteers 0 and 1 are listed accounts: never drawn as candidates for missions.
FIRST_DRAWN_VOLUNTEER = 2


@dataclass
class DemoOptions:
    associations: int = 30
    volunteers: int = 200
    missions: int = 80
    companies: int = 5
    seed: int = 1901


@dataclass
class DemoAccount:
    email: str
    role: str


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0


# One line per account: who it is, and what to look at with it.
DEMO_ACCOUNTS = [
    DemoAccount(MARKER_EMAIL, "Super-administrateur : tout le back-office, journal des actions"),
    DemoAccount(
        "referent@probono.test",
        "Référent (Rhône, Île-de-France) : associations à vérifier, une refusée avec motif",
    ),
    DemoAccount(
        "association@probono.test",
        "Association : candidature sans réponse depuis 10 j, heures à valider, invitations",
    ),
    DemoAccount(
        PENDING_ASSOCIATION_EMAIL,
        "Association en attente de vérification : un brouillon, soumission bloquée",
    ),
    DemoAccount(
        REJECTED_ASSOCIATION_EMAIL,
        "Association refusée : le motif du refus, demander un nouvel examen",
    ),
    DemoAccount(
        "benevole@probono.test",
        "Bénévole : liste d'attente, accord employeur, favoris, recherches, messages, attestation",
    ),
    DemoAccount(
        ENGLISH_VOLUNTEER_EMAIL,
        "Bénévole anglophone : e-mails en anglais, récapitulatif quotidien, 2 invitations",
    ),
    DemoAccount(
        "entreprise@probono.test",
        "Entreprise : accords à donner, équipes du marathon à publier, rapports d'impact",
    ),
]
