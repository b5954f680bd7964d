"""What the missions app holds of a person: their applications, hours, evaluations,
testimonials and the invitations they received (see :mod:`accounts.personal_data`).

When they leave, the engagements stay with an anonymous volunteer: the associations'
and the companies' figures are counted from them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import ERASED, Erasure, PersonalDataProvider, Section, section

from .models import Application, Evaluation, HoursEntry, Invitation, Testimonial

EVALUATION_TEXTS = ("skills_transferred", "autonomy_gained", "comment")


def _evaluations(user):
    """Evaluations the person wrote, and those of their engagements from their side."""
    return Evaluation.objects.filter(
        Q(author=user) | Q(application__volunteer__user=user, side=Evaluation.Side.VOLUNTEER)
    )


def export(user) -> list[Section]:
    return [
        section(
            "applications",
            _("Candidatures et engagements"),
            Application.objects.filter(volunteer__user=user),
            {
                "mission__title": _("mission"),
                "mission__association__name": _("association"),
                "state": _("état"),
                "origin": _("origine"),
                "message": _("message"),
                "state_message": _("message accompagnant la décision"),
                "decline_reason": _("motif du refus"),
                "withdrawal_reason": _("motif du retrait"),
                "is_work_time": _("sur le temps de travail"),
                "approval_state": _("validation employeur"),
                "planned_hours": _("heures prévues"),
                "created_at": _("envoyée le"),
                "decided_at": _("décision le"),
            },
        ),
        section(
            "hours",
            _("Heures déclarées"),
            HoursEntry.objects.filter(application__volunteer__user=user),
            {
                "application__mission__title": _("mission"),
                "date": _("date"),
                "hours": _("heures"),
                "description": _("travail réalisé"),
                "state": _("état"),
                "rejection_reason": _("motif du refus"),
                "created_at": _("saisies le"),
            },
        ),
        section(
            "evaluations",
            _("Évaluations"),
            _evaluations(user),
            {
                "application__mission__title": _("mission"),
                "side": _("point de vue"),
                "rating": _("note sur 5"),
                "objectives": _("objectifs"),
                "skills_transferred": _("compétences transmises"),
                "autonomy_gained": _("ce que l'association sait désormais faire seule"),
                "can_continue_alone": _("l'association peut poursuivre seule"),
                "comment": _("commentaire"),
                "created_at": _("le"),
            },
        ),
        section(
            "testimonials",
            _("Témoignages"),
            Testimonial.objects.filter(application__volunteer__user=user),
            {
                "application__mission__title": _("mission"),
                "text": _("témoignage"),
                "created_at": _("écrit le"),
                "published_at": _("publié le"),
            },
        ),
        section(
            "invitations",
            _("Invitations reçues"),
            Invitation.objects.filter(volunteer__user=user),
            {
                "mission__title": _("mission"),
                "mission__association__name": _("association"),
                "message": _("message"),
                "created_at": _("envoyée le"),
            },
        ),
    ]


def _erase_field(erasure: Erasure, queryset, name: str) -> None:
    rows = queryset.exclude(**{name: ""}).exclude(**{name: ERASED})
    erasure.forget(*rows.values_list(name, flat=True))
    rows.update(**{name: ERASED})


def erase(erasure: Erasure) -> None:
    user = erasure.user
    applications = Application.objects.filter(volunteer__user=user)
    # The association's answer is addressed to the person and often names them.
    _erase_field(erasure, applications, "message")
    _erase_field(erasure, applications, "state_message")
    _erase_field(
        erasure, HoursEntry.objects.filter(application__volunteer__user=user), "description"
    )
    evaluations = _evaluations(user)
    for name in EVALUATION_TEXTS:
        _erase_field(erasure, evaluations, name)
    testimonials = Testimonial.objects.filter(application__volunteer__user=user)
    _erase_field(erasure, testimonials, "text")
    testimonials.update(published_at=None)
    _erase_field(erasure, Invitation.objects.filter(invited_by=user), "message")
    invitations = Invitation.objects.filter(volunteer__user=user)
    erasure.forget(*invitations.values_list("message", flat=True))
    invitations.delete()


def objects(user):
    return [
        Application.objects.filter(volunteer__user=user),
        HoursEntry.objects.filter(application__volunteer__user=user),
        _evaluations(user),
        Testimonial.objects.filter(application__volunteer__user=user),
        Invitation.objects.filter(volunteer__user=user),
    ]


PROVIDER = PersonalDataProvider(app="missions", export=export, erase=erase, objects=objects)
