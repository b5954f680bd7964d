"""What an association does around its missions besides the state changes of
``missions.services``: editing drafts, splitting a too-wide mission, inviting suggested
volunteers, the testimonials volunteers leave after an engagement, and the drafts a
needs diagnosis prepares from mission templates."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Association
from core.models import log_action
from core.permissions import require
from taxonomy.models import Skill
from taxonomy.services import place_fields
from volunteers.models import VolunteerProfile

from . import access
from .models import (
    MISSION_INPUT_FIELDS,
    Application,
    Invitation,
    Mission,
    MissionSkill,
    MissionTemplate,
    Testimonial,
)
from .services import mission_create

INVITATION_WINDOW = datetime.timedelta(days=30)
# More unrelated skill groups than this in one mission: a "mouton à 5 pattes".
MAX_SKILL_GROUPS = 2

# What mission_update changes directly; the city and postcode go through the place.
EDITABLE_FIELDS = tuple(f for f in MISSION_INPUT_FIELDS if f not in ("city", "postcode"))


def _locked_member_mission(mission_id: int, actor) -> Mission:
    mission = (
        Mission.objects.select_for_update(of=("self",))
        .select_related("association")
        .get(pk=mission_id)
    )
    require(
        access.is_member(actor, mission),
        _("Seuls les membres de l'association peuvent gérer cette mission."),
    )
    return mission


def _require_draft(mission: Mission) -> None:
    if mission.state != Mission.State.DRAFT:
        raise ValidationError(
            _("Seul un brouillon peut être modifié : cette mission est « %(state)s ».")
            % {"state": mission.get_state_display()},
            code="not_a_draft",
        )


def _set_skills(mission: Mission, skills: list[tuple]) -> None:
    seen = set()
    for skill, _level, _importance in skills:
        if skill.pk in seen:
            raise ValidationError(
                {
                    "skills": _("La compétence « %(skill)s » est demandée deux fois.")
                    % {"skill": skill}
                }
            )
        seen.add(skill.pk)
    mission.skills.all().delete()
    MissionSkill.objects.bulk_create(
        MissionSkill(mission=mission, skill=skill, min_level=level, importance=importance)
        for skill, level, importance in skills
    )


class MissionChanged(Exception):
    """The mission is no longer the version the editor read: saving would lose the
    changes made since."""


def mission_etag(mission: Mission) -> str:
    """The version of a mission as an HTTP entity tag: it changes with every save."""
    version = f"{mission.pk}:{mission.updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


@transaction.atomic
def mission_update(
    *,
    mission_id: int,
    actor,
    skills: list[tuple] | None = None,
    city: str | None = None,
    postcode: str | None = None,
    expected_etag: str | None = None,
    **fields,
) -> Mission:
    """Change a draft: its fields and its skills ``(skill, min_level, importance)``.

    What is left out (``None``) stays as it is. With ``expected_etag``, the draft must
    still be that version (``mission_etag``), compared under the lock, else
    ``MissionChanged``: two editors do not overwrite each other unknowingly.
    """
    mission = _locked_member_mission(mission_id, actor)
    if expected_etag is not None and expected_etag != mission_etag(mission):
        raise MissionChanged
    _require_draft(mission)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if skills is None:
        skills = [
            (row.skill, row.min_level, row.importance)
            for row in mission.skills.select_related("skill")
        ]
    city = mission.city if city is None else city
    postcode = mission.postcode if postcode is None else postcode
    for name, value in fields.items():
        setattr(mission, name, value)
    if (city, postcode) != (mission.city, mission.postcode) or not (city or postcode):
        for name, value in place_fields(city=city, postcode=postcode).items():
            setattr(mission, name, value)
        if not (city or postcode):
            mission.departement = None
            mission.latitude = mission.longitude = None
    mission.full_clean()
    mission.save()
    _set_skills(mission, skills)
    return mission


# --- Mouton à 5 pattes ----------------------------------------------------------------


def skill_groups(skill_ids: list[int]) -> list[list[int]]:
    """Group skills that belong together: same family, or related in the taxonomy.

    Two families are in one group when any of the given skills of one is related to
    any of the other; the result lists the skill ids of each group, largest first.
    """
    family_of = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "family_id"))
    return _group(family_of, [skill_id for skill_id in skill_ids if skill_id in family_of])


def _group(family_of: dict[int, int], skill_ids: list[int]) -> list[list[int]]:
    if not skill_ids:
        return []
    links = Skill.related.through.objects.filter(
        from_skill_id__in=skill_ids, to_skill_id__in=skill_ids
    ).values_list("from_skill_id", "to_skill_id")
    parent = {family: family for family in family_of.values()}

    def find(family):
        while parent[family] != family:
            parent[family] = parent[parent[family]]
            family = parent[family]
        return family

    for a, b in links:
        parent[find(family_of[a])] = find(family_of[b])
    groups: dict[int, list[int]] = {}
    for skill_id in skill_ids:
        groups.setdefault(find(family_of[skill_id]), []).append(skill_id)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def required_skill_groups(mission: Mission) -> list[list[int]]:
    rows = list(
        mission.skills.filter(importance=MissionSkill.Importance.REQUIRED)
        .order_by("pk")
        .values_list("skill_id", "skill__family_id")
    )
    return _group(dict(rows), [skill_id for skill_id, _family in rows])


def is_too_wide(mission: Mission) -> bool:
    """A "mouton à 5 pattes": its required skills span too many unrelated groups."""
    return len(required_skill_groups(mission)) > MAX_SKILL_GROUPS


@transaction.atomic
def mission_split(*, mission_id: int, actor) -> list[Mission]:
    """Split a draft asking for unrelated skills into linked missions, one per group.

    The mission keeps the largest group of required skills; each other group becomes
    a new draft with the same description and ``parent`` set to it. A nice-to-have
    skill follows the group it belongs with, and stays on the mission otherwise.
    Returns the new parts.
    """
    mission = _locked_member_mission(mission_id, actor)
    _require_draft(mission)
    groups = required_skill_groups(mission)
    if len(groups) <= 1:
        raise ValidationError(
            _("Les compétences de cette mission vont ensemble : rien à découper."),
            code="nothing_to_split",
        )
    mission_skills = list(mission.skills.select_related("skill__family"))
    nice = [s for s in mission_skills if s.importance == MissionSkill.Importance.NICE_TO_HAVE]
    required = [skill_id for group in groups for skill_id in group]
    home_of_nice = {}
    for extra in nice:
        home = next(g for g in skill_groups([extra.skill_id, *required]) if extra.skill_id in g)
        home_of_nice[extra.pk] = next(
            (index for index, own in enumerate(groups) if set(own) & set(home)), 0
        )
    parts = []
    for index, group in enumerate(groups[1:], start=1):
        moved = [
            s
            for s in mission_skills
            if s.skill_id in group or (s in nice and home_of_nice[s.pk] == index)
        ]
        families = ", ".join(sorted({s.skill.family.name for s in moved if s.skill_id in group}))
        part = Mission.objects.get(pk=mission.pk)
        part.pk = None
        part.id = None
        part._state.adding = True
        part.parent = mission
        part.state = Mission.State.DRAFT
        part.created_by = actor
        part.published_at = None
        part.state_reason = ""
        part.title = f"{mission.title} ({families})"[:160]
        part.save()
        MissionSkill.objects.filter(pk__in=[s.pk for s in moved]).update(mission=part)
        log_action(part, "mission.split_part", actor=actor, data={"parent": mission.pk})
        parts.append(part)
    log_action(mission, "mission.split", actor=actor, data={"parts": [part.pk for part in parts]})
    return parts


# --- Invitations ----------------------------------------------------------------------


def invitations_received_recently(volunteer_id: int, *, now=None) -> int:
    since = (now or timezone.now()) - INVITATION_WINDOW
    return Invitation.objects.filter(volunteer_id=volunteer_id, created_at__gte=since).count()


@transaction.atomic
def invitation_send(*, mission_id: int, volunteer_id: int, actor, message: str = "") -> Invitation:
    """Invite a volunteer to apply; each volunteer receives at most
    ``INVITATIONS_PER_VOLUNTEER_PER_MONTH`` invitations over 30 days, all associations
    together, so that being visible never means being overwhelmed."""
    mission = _locked_member_mission(mission_id, actor)
    # Lock the volunteer's row: two associations inviting at once count one after the other.
    volunteer = (
        VolunteerProfile.objects.visible()
        .select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=volunteer_id)
        .first()
    )
    if volunteer is None:
        raise ValidationError(
            _("Ce profil n'est plus visible des associations."), code="volunteer_hidden"
        )
    if not mission.is_open_for_applications():
        raise ValidationError(
            _("On n'invite que sur une mission publiée et ouverte aux candidatures."),
            code="mission_closed",
        )
    if Application.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError(
            _("Cette personne a déjà candidaté à cette mission."), code="already_applied"
        )
    if Invitation.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError(
            _("Cette personne a déjà été invitée sur cette mission."), code="already_invited"
        )
    cap = settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH
    if invitations_received_recently(volunteer.pk) >= cap:
        raise ValidationError(
            _(
                "Cette personne a déjà reçu %(cap)d invitations ces 30 derniers jours : pour "
                "ne pas la solliciter à l'excès, vous pourrez l'inviter plus tard. Elle peut "
                "aussi trouver votre mission d'elle-même."
            )
            % {"cap": cap},
            code="invitation_cap",
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                mission=mission, volunteer=volunteer, invited_by=actor, message=message.strip()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Cette personne a déjà été invitée sur cette mission."), code="already_invited"
        ) from error
    # The volunteer is told by the notifications' listener of this action.
    log_action(invitation, "invitation.create", actor=actor, data={"mission": mission.pk})
    return invitation


# --- Testimonials ---------------------------------------------------------------------


@transaction.atomic
def testimonial_submit(*, application_id: int, actor, text: str) -> Testimonial:
    """The volunteer of a completed engagement says how it went; the association is told
    and decides whether to publish it on its profile."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("mission__association")
        .get(pk=application_id)
    )
    require(
        actor.is_authenticated and application.volunteer.user_id == actor.pk,
        _("Seul le bénévole de cet engagement peut écrire son témoignage."),
    )
    if application.state != Application.State.COMPLETED:
        raise ValidationError(
            _("Le témoignage s'écrit une fois l'engagement terminé."), code="not_completed"
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre témoignage.")})
    if Testimonial.objects.filter(application=application).exists():
        raise ValidationError(
            _("Vous avez déjà témoigné sur cet engagement."), code="already_submitted"
        )
    testimonial = Testimonial(application=application, text=text)
    testimonial.full_clean()
    testimonial.save()
    # The association's members are told by the notifications' listener of this action.
    log_action(testimonial, "testimonial.create", actor=actor)
    return testimonial


def _locked_testimonial(testimonial_id: int, actor) -> Testimonial:
    testimonial = (
        Testimonial.objects.select_for_update(of=("self",))
        .select_related("application__mission__association")
        .get(pk=testimonial_id)
    )
    require(
        access.is_member(actor, testimonial.application.mission),
        _("Seuls les membres de l'association publient ses témoignages."),
    )
    return testimonial


@transaction.atomic
def testimonial_publish(*, testimonial_id: int, actor) -> Testimonial:
    testimonial = _locked_testimonial(testimonial_id, actor)
    if testimonial.published_at is None:
        testimonial.published_at = timezone.now()
        testimonial.save(update_fields=["published_at"])
        log_action(testimonial, "testimonial.publish", actor=actor)
    return testimonial


@transaction.atomic
def testimonial_unpublish(*, testimonial_id: int, actor) -> Testimonial:
    testimonial = _locked_testimonial(testimonial_id, actor)
    if testimonial.published_at is not None:
        testimonial.published_at = None
        testimonial.save(update_fields=["published_at"])
        log_action(testimonial, "testimonial.unpublish", actor=actor)
    return testimonial


# --- Drafts from the needs diagnosis ----------------------------------------------------


@transaction.atomic
def diagnosis_create_drafts(*, association_id: int, actor, template_codes: list[str], cause):
    """Turn the templates the needs diagnosis chose into mission drafts to review.

    The drafts take the template's texts in the actor's language, its format, effort and
    skills; the association edits them before submitting them for publication.
    """
    association = Association.objects.get(pk=association_id)
    require(
        association.has_member(actor),
        _("Seuls les membres de l'association peuvent créer ses missions."),
    )
    templates = list(
        MissionTemplate.objects.filter(code__in=template_codes, is_active=True).prefetch_related(
            "skills__skill"
        )
    )
    if not templates:
        raise ValidationError(
            _("Vos réponses ne font apparaître aucun besoin : cochez ce qui vous freine."),
            code="no_need",
        )
    order = {code: index for index, code in enumerate(template_codes)}
    templates.sort(key=lambda template: order[template.code])
    drafts = []
    for template in templates:
        drafts.append(
            mission_create(
                association=association,
                actor=actor,
                skills=[(s.skill, s.min_level, s.importance) for s in template.skills.all()],
                title=template.title,
                summary=template.summary,
                deliverable=template.deliverable,
                cause=cause,
                format=template.format,
                location_mode=template.location_mode,
                effort_hours=template.effort_hours,
                hours_per_week=template.hours_per_week,
            )
        )
    return drafts
