"""The welcome e-mails: a short sequence per role, sent on the day a person signs up,
then 3 and 10 days later.

Each e-mail leads to the next step of the person's role (a volunteer completes their
profile, then applies; an association diagnoses its needs, submits a mission, invites
the volunteers suggested; a company invites its employees, creates a programme,
subscribes to its impact report). An e-mail is skipped when the person already took the
step it leads to, and not sent when they turned the kind "welcome" off in their
preferences. Which sequence a person follows is decided when each e-mail is due, from
what they are by then: the first registered sequence that applies to them.

Volunteers' and associations' sequences are defined here; companies sit above this app
and register theirs from their ``AppConfig.ready()`` (``register_sequence``).

A beat task (``notifications.tasks.send_welcome_emails``) asks, every hour, for the
e-mails due; each is sent by a task of its own through the outbox, and recorded
(``WelcomeEmail``, one row per person and day) in the transaction that sends it: a step
is decided once, however often the tasks run.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import SignupRole, User
from associations.models import Association, AssociationMember
from core import outbox
from missions.models import Application, Invitation, Mission
from volunteers.completion import profile_completion
from volunteers.models import VolunteerProfile

from .emails import welcome_email
from .models import Notification, WelcomeEmail
from .services import link, preferences_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAYS = (0, 3, 10)
# An e-mail due on day N still goes out up to this many days later (after an outage of
# the workers), never after: deploying the sequences must not greet long-standing users.
CATCH_UP_DAYS = 2


@dataclass(frozen=True)
class WelcomeWording:
    """What one welcome e-mail says, worded in the recipient's language: a title,
    paragraphs, an optional list, and the one action it leads to (a language-neutral
    path, see ``services.link``)."""

    subject: str
    title: str
    paragraphs: list[str]
    action: str
    url: str
    items: list["StrOrPromise"] = field(default_factory=list)


@dataclass(frozen=True)
class WelcomeStep:
    day: int
    # The person already took the step this e-mail leads to: it is not sent.
    done: Callable[[User], bool]
    word: Callable[[User], WelcomeWording]


@dataclass(frozen=True)
class Sequence:
    role: str
    applies: Callable[[User], bool]
    steps: tuple[WelcomeStep, ...]
    # Lower first: a person who runs a company and volunteers gets the company's.
    priority: int

    def step(self, day: int) -> WelcomeStep | None:
        return next((step for step in self.steps if step.day == day), None)


SEQUENCES: dict[str, Sequence] = {}


def register_sequence(sequence: Sequence) -> None:
    if sorted(step.day for step in sequence.steps) != list(DAYS):
        raise ValueError(f"A welcome sequence has one e-mail on each of the days {DAYS}.")
    SEQUENCES[sequence.role] = sequence


def sequence_for(user: User) -> Sequence | None:
    """The sequence ``user`` follows now: the first, by priority, that applies."""
    for sequence in sorted(SEQUENCES.values(), key=lambda s: s.priority):
        if sequence.applies(user):
            return sequence
    return None


# --- Volunteers -------------------------------------------------------------------------


def _profile(user: User) -> VolunteerProfile | None:
    return VolunteerProfile.objects.select_related("employer").filter(user=user).first()


def _has_applied(user: User) -> bool:
    return Application.objects.filter(volunteer__user=user).exists()


def _profile_complete(user: User) -> bool:
    profile = _profile(user)
    return profile is not None and profile_completion(profile).is_complete


def _employer_name(user: User, profile: VolunteerProfile | None) -> str:
    if profile is not None and profile.employer is not None:
        return profile.employer.name
    # Companies sit above this app: their membership is read through the user.
    membership = user.company_memberships.select_related("company").order_by("pk").first()
    return membership.company.name if membership is not None else ""


def _volunteer_day0(user: User) -> WelcomeWording:
    profile = _profile(user)
    paragraphs = [
        _(
            "Bienvenue sur %(site)s ! Nous vous proposons les missions des associations qui "
            "ont besoin de ce que vous savez faire, avec la raison de chaque suggestion."
        )
        % {"site": settings.SITE_NAME}
    ]
    employer = _employer_name(user, profile)
    if employer:
        paragraphs.append(
            _(
                "Votre employeur, %(company)s, soutient le mécénat de compétences : vous "
                "pourrez vous engager sur votre temps de travail, avec son accord."
            )
            % {"company": employer}
        )
    if profile is None:
        paragraphs.append(
            _(
                "Première étape : votre profil de bénévole. Vos compétences et leur niveau, "
                "les causes qui vous tiennent à cœur, où et quand vous pouvez agir : cinq "
                "minutes suffisent."
            )
        )
        return WelcomeWording(
            subject=_("Bienvenue : créez votre profil de bénévole"),
            title=_("Dites-nous ce que vous savez faire"),
            paragraphs=paragraphs,
            action=_("Créer mon profil de bénévole"),
            url=link("volunteers:profile"),
        )
    completion = profile_completion(profile)
    paragraphs.append(
        _(
            "Votre profil est renseigné à %(percent)s %% : il manque ce qui suit pour que "
            "les suggestions vous correspondent vraiment."
        )
        % {"percent": completion.percent}
    )
    return WelcomeWording(
        subject=_("Bienvenue : complétez votre profil de bénévole"),
        title=_("Encore quelques éléments pour de bonnes suggestions"),
        paragraphs=paragraphs,
        items=[item.todo for item in completion.missing],
        action=_("Compléter mon profil"),
        url=link("volunteers:profile"),
    )


def _volunteer_day3(user: User) -> WelcomeWording:
    return WelcomeWording(
        subject=_("Des missions vous attendent"),
        title=_("Vos missions suggérées sont prêtes"),
        paragraphs=[
            _(
                "Dans « Missions pour vous », chaque mission est expliquée : les compétences "
                "que vous avez et qu'elle demande, la distance, vos disponibilités."
            ),
            _(
                "Candidater prend une minute : un mot à l'association pour dire ce que vous "
                "pouvez apporter. Elle vous répond sur %(site)s."
            )
            % {"site": settings.SITE_NAME},
        ],
        action=_("Voir les missions pour vous"),
        url=link("volunteers:suggestions"),
    )


def _volunteer_day10(user: User) -> WelcomeWording:
    return WelcomeWording(
        subject=_("Pas encore trouvé votre mission ?"),
        title=_("Pas encore trouvé votre mission ?"),
        paragraphs=[
            _(
                "Cherchez parmi toutes les missions ouvertes, par compétence, cause, lieu ou "
                "format, puis enregistrez votre recherche : nous vous préviendrons dès "
                "qu'une nouvelle mission y répond."
            ),
            _(
                "Élargir votre profil aide aussi : une compétence proche, une distance plus "
                "grande, les missions à distance."
            ),
        ],
        action=_("Chercher une mission"),
        url=link("missions:list"),
    )


VOLUNTEER = Sequence(
    role="volunteer",
    # Everyone who follows no other sequence: each person may give their skills.
    applies=lambda user: True,
    steps=(
        WelcomeStep(day=0, done=_profile_complete, word=_volunteer_day0),
        WelcomeStep(day=3, done=_has_applied, word=_volunteer_day3),
        WelcomeStep(day=10, done=_has_applied, word=_volunteer_day10),
    ),
    priority=100,
)


# --- Associations -----------------------------------------------------------------------


def _associations(user: User) -> list[Association]:
    return [
        membership.association
        for membership in AssociationMember.objects.filter(user=user)
        .select_related("association")
        .order_by("association__name")
    ]


def _missions_of(user: User):
    return Mission.objects.filter(association__members__user=user)


def _has_drafted(user: User) -> bool:
    return _missions_of(user).exists()


def _has_submitted(user: User) -> bool:
    return _missions_of(user).exclude(state=Mission.State.DRAFT).exists()


def _has_reached_volunteers(user: User) -> bool:
    """An invitation sent, or an application answered, for one of their missions."""
    return (
        Invitation.objects.filter(mission__association__members__user=user).exists()
        or Application.objects.filter(mission__association__members__user=user)
        .exclude(state__in=(Application.State.APPLIED, Application.State.WAITLISTED))
        .exists()
    )


def _association_day0(user: User) -> WelcomeWording:
    associations = _associations(user)
    if not associations:
        return WelcomeWording(
            subject=_("Bienvenue : enregistrez votre association"),
            title=_("Enregistrez votre association"),
            paragraphs=[
                _(
                    "Bienvenue sur %(site)s ! Des bénévoles qualifiés, salariés, retraités ou "
                    "indépendants, donnent leurs compétences aux associations."
                )
                % {"site": settings.SITE_NAME},
                _(
                    "Pour publier vos besoins, enregistrez votre association avec son "
                    "numéro RNA ou SIREN : l'équipe la vérifie, en général en quelques "
                    "jours ouvrés. Vous pouvez préparer vos missions en attendant."
                ),
            ],
            action=_("Enregistrer mon association"),
            url=link("asso:register"),
        )
    return WelcomeWording(
        subject=_("Bienvenue : commencez par le diagnostic de vos besoins"),
        title=_("Un besoin bien cerné trouve vite ses bénévoles"),
        paragraphs=[
            _(
                "Bienvenue sur %(site)s ! Le diagnostic de vos besoins vous pose quelques "
                "questions et prépare des brouillons de missions à partir de modèles."
            )
            % {"site": settings.SITE_NAME},
            _(
                "Une mission précise, qui ne demande pas trop de compétences différentes, "
                "trouve plus facilement la bonne personne."
            ),
        ],
        action=_("Faire le diagnostic"),
        url=link("asso:diagnosis", associations[0].slug),
    )


def _association_day3(user: User) -> WelcomeWording:
    paragraphs = [
        _(
            "Relisez vos brouillons de missions et soumettez-les : une fois publiée, une "
            "mission est proposée aux bénévoles qui ont les compétences demandées, avec la "
            "raison de chaque suggestion."
        )
    ]
    associations = _associations(user)
    if associations and not any(association.is_verified for association in associations):
        paragraphs.append(
            _(
                "Votre association est en cours de vérification : vous pourrez soumettre "
                "vos missions dès qu'elle sera vérifiée."
            )
        )
    return WelcomeWording(
        subject=_("Publiez votre première mission"),
        title=_("Publiez votre première mission"),
        paragraphs=paragraphs,
        action=_("Voir mes missions"),
        url=link("asso:dashboard") if associations else link("asso:register"),
    )


def _association_day10(user: User) -> WelcomeWording:
    published = (
        _missions_of(user)
        .filter(state=Mission.State.PUBLISHED)
        .order_by("-published_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return WelcomeWording(
        subject=_("Invitez les bénévoles qui vous sont suggérés"),
        title=_("Allez chercher vos bénévoles"),
        paragraphs=[
            _(
                "Sur la page de suivi de chaque mission publiée, %(site)s vous suggère des "
                "bénévoles, avec la raison de chaque suggestion : invitez ceux qui vous "
                "semblent les plus pertinents à candidater."
            )
            % {"site": settings.SITE_NAME},
            _(
                "Et répondez vite aux candidatures : les bénévoles qui attendent une "
                "réponse plus d'une semaine se tournent vers d'autres missions."
            ),
        ],
        action=_("Voir les bénévoles suggérés"),
        url=(
            link("asso:mission_pipeline", published)
            if published is not None
            else link("asso:dashboard")
        ),
    )


def _is_association_side(user: User) -> bool:
    return (
        user.signup_role == SignupRole.ASSOCIATION
        or AssociationMember.objects.filter(user=user).exists()
    )


ASSOCIATION = Sequence(
    role="association",
    applies=_is_association_side,
    steps=(
        WelcomeStep(day=0, done=_has_drafted, word=_association_day0),
        WelcomeStep(day=3, done=_has_submitted, word=_association_day3),
        WelcomeStep(day=10, done=_has_reached_volunteers, word=_association_day10),
    ),
    priority=50,
)

register_sequence(VOLUNTEER)
register_sequence(ASSOCIATION)


# --- Sending ----------------------------------------------------------------------------


def welcome_emails_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Ask for every welcome e-mail due at ``now``: to each active person (not staff)
    who has signed in at least once (their address is confirmed), on each day of
    ``DAYS`` after they joined, for ``CATCH_UP_DAYS`` days. Returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for day in DAYS:
            due = now - datetime.timedelta(days=day)
            people = (
                User.objects.filter(
                    is_active=True,
                    is_staff=False,
                    last_login__isnull=False,
                    date_joined__lte=due,
                    date_joined__gt=due - datetime.timedelta(days=CATCH_UP_DAYS),
                )
                .exclude(email="")
                .exclude(welcome_emails__day=day)
                .values_list("pk", flat=True)
            )
            for user_id in people:
                outbox.enqueue(
                    "notifications.tasks.send_welcome_email",
                    user_id,
                    day,
                    key=f"welcome:{user_id}:{day}",
                )
                count += 1
    return count


def welcome_email_send(*, user_id: int, day: int) -> str:
    """Decide and record ``user_id``'s welcome e-mail of ``day``, and send it if it
    still leads somewhere: "sent", "done", "off", or "" when there is nothing to do
    (decided already, or no such person or e-mail)."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    sequence = sequence_for(user) if user is not None else None
    step = sequence.step(day) if sequence is not None else None
    if user is None or sequence is None or step is None:
        return ""
    with transaction.atomic():
        if not preferences_for(user).wants_email(Notification.Kind.WELCOME):
            outcome = WelcomeEmail.Outcome.OFF
        elif step.done(user):
            outcome = WelcomeEmail.Outcome.DONE
        else:
            outcome = WelcomeEmail.Outcome.SENT
        try:
            with transaction.atomic():
                WelcomeEmail.objects.create(
                    user=user, sequence=sequence.role, day=day, outcome=outcome
                )
        except IntegrityError:
            return ""
        if outcome == WelcomeEmail.Outcome.SENT:
            # Sent inside the transaction: if it fails, the step is not recorded and
            # the task's retry sends it.
            with translation.override(user.language):
                wording = step.word(user)
                number = DAYS.index(day) + 1
                welcome_email(user, wording, number=number, count=len(DAYS)).send()
    return outcome
