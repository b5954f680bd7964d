"""What the listed accounts show, made through the services as people would, so that
the audit log and the notifications follow: an association registered and waiting, one
refused; the demo volunteer's favourites, waitlisted application and completed
engagement told to its end; the demo association's unanswered application, hours to
validate and invitations."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from associations.models import Association
from associations.services import association_register, association_reject
from companies.models import CompanyMember
from companies.programmes import teams_propose
from demo.base import BuilderBase
from demo.catalogue.engagement_texts import (
    APPLICATION_MESSAGES,
    EVALUATION_ASSOCIATION,
    EVALUATION_VOLUNTEER,
)
from demo.catalogue.mission_templates import MISSION_TEMPLATES
from demo.catalogue.organisations import CAUSE_PROFILES, REJECTION_REASONS
from demo.identifiers import ascii_slug
from demo.options import (
    FIRST_DRAWN_VOLUNTEER,
    PENDING_ASSOCIATION_EMAIL,
    REJECTED_ASSOCIATION_EMAIL,
)
from demo.places import city_phrases
from missions.models import Application, Mission
from missions.outreach import invitation_send, testimonial_publish, testimonial_submit
from missions.services import (
    application_create,
    evaluation_submit,
    favourite_toggle,
    hours_log,
    hours_validate,
    mission_create,
)
from taxonomy.geo import bounding_box, haversine_km
from volunteers.models import VolunteerProfile, VolunteerSkill

# How far a demo candidate for an on-site mission lives from it, at most.
NEARBY_KM = 60


def _nearest(
    located: models.QuerySet[VolunteerProfile],
    distance: Callable[[VolunteerProfile], float],
    mission: Mission,
    k: int,
) -> list[VolunteerProfile]:
    """The ``k`` volunteers of ``located`` nearest to ``mission`` (ties by id), read
    from boxes around it that grow until they hold ``k`` within their reach: the same
    as sorting them all, without loading a million of them."""
    for km in (NEARBY_KM, 4 * NEARBY_KM, 16 * NEARBY_KM):
        box = bounding_box(cast(float, mission.latitude), cast(float, mission.longitude), km)
        reached = [p for p in located.filter(**box) if distance(p) <= km]
        if len(reached) >= k:
            return sorted(reached, key=lambda p: (distance(p), p.pk))[:k]
    return sorted(located, key=lambda p: (distance(p), p.pk))[:k]


class StoriesMixin(BuilderBase):
    def _story_associations(self) -> None:
        """One association waiting for verification (with a draft) and one refused by
        the Rhône referent, each registered by its listed admin."""
        specs = [
            (
                PENDING_ASSOCIATION_EMAIL,
                "Les Petites Mains de Villeurbanne",
                "Villeurbanne",
                "69100",
                "poverty_solidarity",
            ),
            (
                REJECTED_ASSOCIATION_EMAIL,
                "Vélo Solidaire Vénissieux",
                "Vénissieux",
                "69200",
                "environment_climate",
            ),
        ]
        created = {}
        for email, name, city, postcode, cause in specs:
            rna = ""
            while not rna or Association.objects.filter(rna=rna).exists():
                rna = f"W69{self.rng.randrange(10**7):07d}"
            _weight, activity, audience, related = CAUSE_PROFILES[cause]
            created[email] = association_register(
                user=self.story_admins[email],
                name=name,
                rna=rna,
                city=city,
                postcode=postcode,
                causes=[self.causes[cause], self.causes[related]],
                summary=f"Association {city_phrases(city)['de_city']} qui {activity}."[:280],
                description=(
                    f"Créée en {self.today.year - 1}, {name} {activity}. Elle accompagne "
                    f"{audience}, avec une vingtaine de bénévoles."
                ),
                address=self.streets[0],
                size_band="0",
                founded_year=self.today.year - 1,
                contact_email=f"contact@{ascii_slug(name)[:40].strip('-')}.example.org",
            )
        pending = created[PENDING_ASSOCIATION_EMAIL]
        template = MISSION_TEMPLATES["communication"][0]
        mission_create(
            association=pending,
            actor=self.story_admins[PENDING_ASSOCIATION_EMAIL],
            skills=[(self.skills[code], 2, "required") for code in template.required],
            title=template.title,
            summary=template.summary,
            description=f"{template.context}\n\nMission à distance, avec un point par semaine.",
            deliverable=template.deliverable,
            cause=self.causes["poverty_solidarity"],
            format="mission",
            location_mode="remote",
            effort_hours=24,
            hours_per_week=Decimal("3"),
            seats=1,
            start_date=self.today + datetime.timedelta(days=45),
            end_date=self.today + datetime.timedelta(days=101),
            application_deadline=self.today + datetime.timedelta(days=30),
        )
        association_reject(
            association_id=created[REJECTED_ASSOCIATION_EMAIL].pk,
            actor=self.referent,
            reason=REJECTION_REASONS[0],
        )

    def _story_candidates(self) -> None:
        """Good candidates for the demo association's open missions, so that its pipeline
        shows suggestions worth reading: the nearest volunteers who accept the mission's
        format get its required skills (at or above the level asked, some with the
        nice-to-have ones too) and its cause."""
        association = self.associations[0]
        listed = [p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]]
        chosen: set[int] = set()
        for mission in (
            Mission.objects.published()
            .with_taken_seats()
            # The plugin loses annotate()'s fields through a queryset method returning Self.
            .filter(association=association, taken_seats__lt=F("seats"))  # type: ignore[misc]
            .select_related("programme__company")
            .prefetch_related("skills")
            .order_by("pk")
        ):
            if not mission.is_open_for_applications(self.today):
                continue
            pool = (
                VolunteerProfile.objects.visible()
                .exclude(pk__in=[*listed, *chosen])
                .exclude(applications__mission=mission)
                .filter(**{f"accepts_{mission.location_mode}": True})
            )
            programme = mission.programme
            if programme is not None:
                # Reserved to the employees of the company and of its foundation.
                group = programme.company.parent_id or programme.company_id
                pool = pool.filter(
                    models.Q(employer_id=group) | models.Q(employer__parent_id=group)
                )
            if mission.location_mode != "remote" and mission.latitude is not None:
                located = pool.filter(latitude__isnull=False)

                def distance(profile: VolunteerProfile, mission: Mission = mission) -> float:
                    return haversine_km(
                        cast(float, profile.latitude),
                        cast(float, profile.longitude),
                        cast(float, mission.latitude),
                        cast(float, mission.longitude),
                    )

                candidates = _nearest(located, distance, mission, 5)
                for n, profile in enumerate(candidates):
                    if distance(profile) > NEARBY_KM:
                        # Moved to the mission's town: an on-site mission needs neighbours.
                        for name in ("city", "postcode", "departement_id"):
                            setattr(profile, name, getattr(mission, name))
                        profile.latitude = mission.latitude + 0.01 * (n - 2)
                        profile.longitude = cast(float, mission.longitude) - 0.01 * n
                    profile.max_distance_km = max(
                        profile.max_distance_km or 0, int(distance(profile)) + 15
                    )
                VolunteerProfile.objects.bulk_update(
                    candidates,
                    ["city", "postcode", "departement", "latitude", "longitude", "max_distance_km"],
                )
            else:
                candidates = list(pool.order_by("pk")[:5])
            wanted = list(mission.skills.all())
            rows = []
            for n, profile in enumerate(candidates):
                chosen.add(profile.pk)
                held = dict(profile.skills.values_list("skill_id", "level"))
                for need in wanted:
                    if need.importance == "required":
                        level = min(4, need.min_level + (1 if n < 3 else 0))
                    elif n < 2:
                        level = max(2, need.min_level)
                    else:
                        continue
                    if held.get(need.skill_id, 0) < level:
                        rows.append((profile.pk, need.skill_id, level))
                profile.causes.add(mission.cause_id)
            for pk, skill, level in rows:
                VolunteerSkill.objects.update_or_create(
                    profile_id=pk, skill_id=skill, defaults={"level": level}
                )

    def _story_event(self) -> None:
        """The demo company's organiser has computed the marathon's teams: a proposal to
        review, adjust and publish."""
        marathon = self.programmes.get("marathon")
        if marathon is None:
            return
        organiser = (
            CompanyMember.objects.filter(
                company_id=marathon.company_id, role=CompanyMember.Role.PROGRAMME_ADMIN
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if organiser is None:
            return
        # A small dataset may lack registrations or missions for it.
        with contextlib.suppress(ValidationError):
            teams_propose(programme_id=marathon.pk, actor=organiser.user, time_budget=1.0)

    def _story_volunteer(self) -> None:
        """The demo volunteer: favourites, a waitlisted application, and the completed
        engagement told to its end (hours, both evaluations, a published testimonial)."""
        profile = self._listed_volunteer(0)
        user = profile.user
        applied = set(profile.applications.values_list("mission_id", flat=True))
        published = Mission.objects.published().exclude(pk__in=applied).order_by("pk")
        near = published.exclude(association=self.associations[0]).filter(
            models.Q(location_mode="remote") | models.Q(departement__code="69")
        )
        for mission in near[:3]:
            favourite_toggle(actor=user, mission_id=mission.pk)

        full = [
            mission
            # The plugin loses annotate()'s fields through a queryset method returning Self.
            for mission in published.with_taken_seats().filter(taken_seats__gte=F("seats"))  # type: ignore[misc]
            if mission.is_open_for_applications(self.today)
        ]
        if full:
            application_create(
                mission_id=full[0].pk,
                volunteer=profile,
                actor=user,
                message=APPLICATION_MESSAGES[2],
            )

        done = (
            profile.applications.filter(state=Application.State.COMPLETED)
            .select_related("mission__association")
            .order_by("pk")
            .first()
        )
        if done is None:
            return
        mission = done.mission
        member = self._admin_of(mission.association)
        last = min(mission.end_date or self.today, self.today)
        first = max(done.engagement_start or last, last - datetime.timedelta(days=30))
        entries = [
            (first, "1", "Préparation avec l'équipe"),
            (first, "2", "Animation de la session"),
            (last, "0.5", "Compte rendu et ressources envoyés à l'équipe"),
        ]
        for day, hours, description in entries:
            entry = hours_log(
                application_id=done.pk,
                actor=user,
                date=min(day, self.today),
                hours=Decimal(hours),
                description=description,
            )
            hours_validate(entry_id=entry.pk, actor=member)
        skills, autonomy, comment = EVALUATION_ASSOCIATION[0]
        evaluation_submit(
            application_id=done.pk,
            actor=member,
            rating=5,
            objectives="met",
            skills_transferred=skills,
            autonomy_gained=autonomy,
            can_continue_alone=True,
            comment=comment,
        )
        evaluation_submit(
            application_id=done.pk,
            actor=user,
            rating=5,
            objectives="met",
            comment=EVALUATION_VOLUNTEER[0],
        )
        testimonial = testimonial_submit(
            application_id=done.pk,
            actor=user,
            text=(
                f"J'ai découvert {mission.association.name} le temps de « {mission.title} » : "
                "une équipe accueillante, un besoin bien préparé, et des outils qu'elle "
                "utilise encore aujourd'hui. Je recommande à tous les bénévoles !"
            ),
        )
        testimonial_publish(testimonial_id=testimonial.pk, actor=member)

    def _story_association(self) -> None:
        """The demo association: an application left unanswered for ten days, hours to
        validate on a running engagement, and invitations to the English volunteer."""
        association = self.associations[0]
        admin = self._admin_of(association)
        listed = [p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]]
        open_missions = [
            mission
            for mission in Mission.objects.published()
            .with_taken_seats()
            .filter(association=association)
            .order_by("pk")
            if mission.is_open_for_applications(self.today)
        ]
        with_seats = [m for m in open_missions if m.taken_seats < m.seats]
        if with_seats:
            mission = with_seats[0]
            required = mission.skills.filter(importance="required").values("skill")
            candidates = (
                VolunteerProfile.objects.visible()
                .exclude(pk__in=listed)
                .exclude(applications__mission=mission)
            )
            volunteer = (
                candidates.filter(skills__skill__in=required).order_by("pk").first()
                or candidates.order_by("pk").first()
            )
            if volunteer is not None:
                stale = application_create(
                    mission_id=mission.pk,
                    volunteer=volunteer,
                    actor=volunteer.user,
                    message=APPLICATION_MESSAGES[0],
                )
                self._backdate(stale, self.now - datetime.timedelta(days=10, hours=3))

        active = (
            Application.objects.filter(
                mission__association=association, state=Application.State.ACTIVE
            )
            .select_related("mission", "volunteer__user")
            .order_by(
                models.Case(models.When(volunteer=self.profiles[0], then=0), default=1),
                "pk",
            )
            .first()
        )
        if active is not None:
            start = active.engagement_start or self.today
            for days_ago, hours, description in (
                (6, "2", "Point d'étape avec la directrice"),
                (2, "1.5", "Préparation du prochain rendez-vous"),
            ):
                hours_log(
                    application_id=active.pk,
                    actor=active.volunteer.user,
                    date=max(start, self.today - datetime.timedelta(days=days_ago)),
                    hours=Decimal(hours),
                    description=description,
                )

        english = self._listed_volunteer(1)
        if english is None:
            return
        applied = set(english.applications.values_list("mission_id", flat=True))
        wanted = min(2, settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH)
        # Free seats first; a full mission may still invite (the volunteer is waitlisted).
        invitable = sorted(open_missions, key=lambda m: (m.taken_seats >= m.seats, m.pk))
        for mission in [m for m in invitable if m.pk not in applied][:wanted]:
            invitation_send(
                mission_id=mission.pk,
                volunteer_id=english.pk,
                actor=admin,
                message=(
                    "Hello! Your profile matches this mission well, and our team speaks "
                    "English. Would you like to apply?"
                ),
            )
