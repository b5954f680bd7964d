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


# One line per account: who it is, and what to look at with it (printed on the
# console by seed_demo and make run, in English like all console output).
DEMO_ACCOUNTS = [
    DemoAccount(MARKER_EMAIL, "superuser: the whole admin, the action log"),
    DemoAccount("referent@probono.test", "referent (Rhône, Île-de-France): associations to vet"),
    DemoAccount("association@probono.test", "association: applicants, hours to validate"),
    DemoAccount(PENDING_ASSOCIATION_EMAIL, "association waiting for verification"),
    DemoAccount(REJECTED_ASSOCIATION_EMAIL, "association refused, may ask again"),
    DemoAccount("benevole@probono.test", "volunteer: applications, hours, attestation"),
    DemoAccount(ENGLISH_VOLUNTEER_EMAIL, "volunteer in English: e-mails, daily digest"),
    DemoAccount("entreprise@probono.test", "company: approvals, event teams, impact reports"),
]


def accounts_table(accounts: list[DemoAccount]) -> list[str]:
    """The demo accounts as a short table, for the console."""
    width = max(len(account.email) for account in accounts)
    return [
        f"Demo accounts (password {DEMO_PASSWORD}):",
        *(f"  {account.email:<{width}}  {account.role}" for account in accounts),
    ]
