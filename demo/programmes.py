"""What the companies run and report on: programmes (a foundation's factory, a pro bono
week, a marathon, end-of-career sponsorship, a yearly campaign), hourly costs, sites,
cost bands and managers, a track record of completed work-time engagements, approvals
waiting and refused, and the marathon's registrations."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from companies.models import Company, CompanyMember, CostBand, Programme, ProgrammeRegistration
from demo.base import BuilderBase, weighted
from demo.catalogue.engagement_texts import (
    APPLICATION_MESSAGES,
    APPROVAL_REFUSAL_REASONS,
    EVALUATION_ASSOCIATION,
    HOURS_DESCRIPTIONS,
)
from demo.options import FIRST_DRAWN_VOLUNTEER
from missions.models import Application, Evaluation, HoursEntry, Mission
from volunteers.models import VolunteerProfile, VolunteerSkill


class ProgrammesMixin(BuilderBase):
    # --- programmes --------------------------------------------------------------------

    def _programmes(self) -> None:
        self.programmes = {}
        if not self.companies:
            return
        today = self.today
        year = today.year
        # (key, company, name, kind, description, starts, ends, hours budget or None)
        specs: list[
            tuple[str, Company, str, str, str, datetime.date, datetime.date, int | None]
        ] = []
        if self.foundation is not None:
            specs.append(
                (
                    "factory",
                    self.foundation,
                    "Probono Factory Emploi – Rhône",
                    Programme.Kind.FACTORY,
                    "Une mobilisation de six mois autour d'une cause : lever les freins à "
                    "l'emploi dans le Rhône, avec les associations d'insertion du territoire.",
                    today - datetime.timedelta(days=60),
                    today + datetime.timedelta(days=120),
                    600,
                )
            )
        specs.append(
            (
                "week",
                self.companies[1] if len(self.companies) > 1 else self.companies[0],
                f"Semaine du pro bono {(today + datetime.timedelta(days=40)).year}",
                Programme.Kind.WEEK,
                "Une semaine pendant laquelle chaque salarié peut consacrer une journée à une "
                "association.",
                today + datetime.timedelta(days=40),
                today + datetime.timedelta(days=46),
                None,
            )
        )
        if len(self.companies) > 1:
            start = today + datetime.timedelta(days=25)
            specs.append(
                (
                    "marathon",
                    self.companies[0],  # the demo company's event: teams to review
                    f"Probono Marathon {self.companies[0].name.split()[0]}",
                    Programme.Kind.MARATHON,
                    "Une journée intensive : des équipes de salariés relèvent chacune le défi "
                    "d'une association.",
                    start,
                    start,
                    400,
                )
            )
        if len(self.companies) > 2:
            specs.append(
                (
                    "end_of_career",
                    self.companies[2],
                    "Mécénat de fin de carrière",
                    Programme.Kind.END_OF_CAREER,
                    "Les salariés à moins de trois ans de la retraite peuvent consacrer jusqu'à "
                    "la moitié de leur temps à une association.",
                    today - datetime.timedelta(days=200),
                    today + datetime.timedelta(days=530),
                    None,
                )
            )
        if len(self.companies) > 3:
            specs.append(
                (
                    "campaign",
                    self.companies[3],
                    "Campagne annuelle : inclusion numérique",
                    Programme.Kind.CAMPAIGN,
                    "Toute l'année, des missions pour réduire la fracture numérique.",
                    datetime.date(year, 1, 1),
                    datetime.date(year, 12, 31),
                    1000,
                )
            )
        programmes = []
        for key, company, name, kind, description, starts, ends, budget in specs:
            programme = Programme(
                company=company,
                name=name,
                kind=kind,
                description=description,
                starts_on=starts,
                ends_on=ends,
                hours_budget=budget,
            )
            programmes.append(programme)
            self.programmes[key] = programme
        self.bulk.insert(Programme, programmes)
        if "factory" in self.programmes:
            factory = self.programmes["factory"]
            factory.causes.set([self.causes["employment_integration"]])
            factory.departements.set([self.departements["69"]])
        if "campaign" in self.programmes:
            self.programmes["campaign"].causes.set([self.causes["digital_inclusion"]])
        if "marathon" in self.programmes:
            verified = [a for a in self.associations if a.verification_state == "verified"]
            self.programmes["marathon"].invited_associations.set(verified[:8])

    # --- company settings, sites, cost bands; event registrations ---------------------

    def _company_settings(self) -> None:
        """What the reports need: hourly costs, turnover, sites, cost bands, managers;
        one company approves small missions automatically, one counts a fiscal year."""
        costs = [Decimal("62"), Decimal("71"), Decimal("58"), Decimal("66"), Decimal("54")]
        sites = ["Paris – La Défense", "Lyon Part-Dieu", "Nantes", "Lille"]
        for i, company in enumerate(self.companies):
            headcount = self.company_specs[i][1]
            company.loaded_hourly_cost = costs[i % len(costs)]
            company.annual_turnover = Decimal(headcount) * Decimal("2500000")
            company.verified_at = self.now
            company.auto_approval_max_hours = 8 if i == 1 else None
            company.year_start_month = 9 if i == 2 else 1
        Company.objects.bulk_update(
            self.companies,
            [
                "loaded_hourly_cost",
                "annual_turnover",
                "verified_at",
                "auto_approval_max_hours",
                "year_start_month",
            ],
        )
        if self.foundation is not None:
            Company.objects.filter(pk=self.foundation.pk).update(verified_at=self.now)
        if not self.companies:
            return
        first = self.companies[0]
        bands = [
            CostBand(company=first, name="Cadres", hourly_cost=Decimal("74")),
            CostBand(company=first, name="Experts et direction", hourly_cost=Decimal("112")),
        ]
        self.bulk.insert(CostBand, bands)
        # Every member gets a site in turn; the first company's employees also a cost band
        # and a manager. The others change by site, in a few set-wide updates (a row-by-row
        # bulk_update took most of the seeding's time at the national scale).
        members = list(
            CompanyMember.objects.filter(company__in=self.companies)
            .order_by("company_id", "pk")
            .values_list("pk", "company_id", "role", "user_id")
        )
        managers: dict[int, list[int]] = {}
        for _pk, company_id, role, user_id in members:
            if role == CompanyMember.Role.MANAGER:
                managers.setdefault(company_id, []).append(user_id)
        pool = managers.get(first.pk, [])
        by_site: dict[str, list[int]] = {}
        detailed: list[CompanyMember] = []
        for n, (pk, company_id, role, _user_id) in enumerate(members):
            site = sites[n % len(sites)]
            if company_id == first.pk and role == CompanyMember.Role.EMPLOYEE:
                detailed.append(
                    CompanyMember(
                        pk=pk,
                        site=site,
                        cost_band=bands[1] if n % 7 == 0 else bands[0] if n % 3 == 0 else None,
                        manager_id=pool[n % len(pool)] if pool and n % 2 == 0 else None,
                    )
                )
            else:
                by_site.setdefault(site, []).append(pk)
        for site, pks in by_site.items():
            for at in range(0, len(pks), 10_000):
                CompanyMember.objects.filter(pk__in=pks[at : at + 10_000]).update(site=site)
        CompanyMember.objects.bulk_update(detailed, ["site", "cost_band", "manager"], 2000)

    def _company_track_record(self) -> None:
        """Past work-time engagements of the first two companies' employees on completed
        missions, with validated hours and evaluations, so that their impact reports show
        real numbers. A mission gets a seat more for each engagement added to it."""
        rng = self.rng
        missions = list(
            Mission.objects.filter(state=Mission.State.COMPLETED)
            .select_related("association")
            .order_by("pk")
        )
        if not missions:
            return
        taken = set(Application.objects.values_list("volunteer_id", "mission_id"))
        admins = dict(zip([a.pk for a in self.associations], self.association_admin, strict=False))
        added: list = []
        for company, wanted in zip(self.companies[:2], (14, 10), strict=False):
            employees = list(
                VolunteerProfile.objects.filter(employer=company)
                .exclude(pk__in=[p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]])
                .select_related("user")
                .order_by("pk")[:wanted]
            )
            for n, profile in enumerate(employees):
                mission = missions[(n * 3 + len(added)) % len(missions)]
                if (profile.pk, mission.pk) in taken:
                    continue
                taken.add((profile.pk, mission.pk))
                opened = mission.published_at or self.now - datetime.timedelta(days=400)
                starts = mission.start_date or self.today
                eve = timezone.make_aware(
                    datetime.datetime.combine(starts, datetime.time(18))
                ) - datetime.timedelta(days=1)
                decided = self._between(opened, max(opened, eve), late=0.5)
                added.append(
                    Application(
                        created_at=self._between(opened, decided),
                        mission=mission,
                        volunteer=profile,
                        origin=rng.choice(["applied", "suggested", "applied"]),
                        state=Application.State.COMPLETED,
                        is_work_time=True,
                        approval_state=Application.Approval.APPROVED,
                        planned_hours=rng.choice([8, 12, 16]),
                        decided_at=decided,
                    )
                )
        if not added:
            return
        self.bulk.insert(Application, added)
        extra = Counter(a.mission.pk for a in added)
        for mission in missions:
            if extra[mission.pk]:
                mission.seats = min(100, mission.seats + extra[mission.pk])
        Mission.objects.bulk_update([m for m in missions if extra[m.pk]], ["seats"])
        hours, evaluations = [], []
        for application in added:
            mission = application.mission
            last = min(mission.end_date or self.today, self.today)
            first = max(application.engagement_start or last, last - datetime.timedelta(days=300))
            span = max(0, (last - first).days)
            for _ in range(rng.randint(2, 4)):
                day = first + datetime.timedelta(days=rng.randint(0, span))
                hours.append(
                    HoursEntry(
                        created_at=self._evening_after(day, within_days=4),
                        application=application,
                        date=day,
                        hours=Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"])),
                        description=rng.choice(HOURS_DESCRIPTIONS),
                        state=HoursEntry.State.VALIDATED,
                    )
                )
            rating = weighted(rng, [5, 4, 3, 2], [45, 35, 15, 5])
            objectives = "met" if rating >= 4 else "partly" if rating >= 3 else "not_met"
            if rng.random() < 0.85:
                skills, autonomy, comment = rng.choice(EVALUATION_ASSOCIATION)
                evaluations.append(
                    Evaluation(
                        created_at=self._evening_after(last, within_days=20),
                        application=application,
                        side=Evaluation.Side.ASSOCIATION,
                        author=admins.get(mission.association.pk),
                        rating=rating,
                        objectives=objectives,
                        skills_transferred=skills,
                        autonomy_gained=autonomy,
                        can_continue_alone=weighted(rng, [True, False, None], [60, 30, 10]),
                        comment=comment,
                    )
                )
        self.bulk.insert(HoursEntry, hours, pks=False)
        self.bulk.insert(Evaluation, evaluations, pks=False)

    def _company_approvals(self) -> None:
        """Whatever the draws gave, the first two companies (both with a programme and a
        track record) have a work-time application waiting for their approval and one
        they refused, so that every approval state shows on their pages and reports.
        On open missions of other associations than the demo one, by employees other
        than the listed volunteers; neither takes a seat."""
        rng = self.rng
        A = Application
        missions = [
            mission
            for mission in Mission.objects.published()
            .exclude(association=self.associations[0])
            .order_by("pk")
            if mission.is_open_for_applications(self.today)
        ]
        if not missions:
            return
        listed = [p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]]
        taken = set(Application.objects.values_list("volunteer_id", "mission_id"))
        added: list[Application] = []
        for company in self.companies[:2]:
            if not company.work_time_requires_approval:
                continue
            # Small enough missions are approved automatically: never asked, never refused.
            limit = company.auto_approval_max_hours
            eligible = [m for m in missions if not limit or m.effort_hours > limit]
            if not eligible:
                continue
            employees = list(
                VolunteerProfile.objects.filter(employer=company)
                .exclude(pk__in=listed)
                .order_by("-pk")
                .values_list("pk", flat=True)
            )
            used: set[int] = set()
            for approval in (A.Approval.PENDING, A.Approval.REFUSED):
                shift = len(added)
                rotated = eligible[shift % len(eligible) :] + eligible[: shift % len(eligible)]
                pair = next(
                    (
                        (volunteer, mission)
                        for mission in rotated
                        for volunteer in employees
                        if volunteer not in used and (volunteer, mission.pk) not in taken
                    ),
                    None,
                )
                if pair is None:
                    continue
                volunteer, mission = pair
                used.add(volunteer)
                taken.add((volunteer, mission.pk))
                refused = approval == A.Approval.REFUSED
                added.append(
                    Application(
                        mission=mission,
                        volunteer_id=volunteer,
                        origin="applied",
                        message=rng.choice(APPLICATION_MESSAGES),
                        # Refused, the volunteer withdrew: that is the reason given.
                        state=A.State.WITHDRAWN if refused else A.State.APPLIED,
                        withdrawal_reason="approval_refused" if refused else "",
                        state_message=rng.choice(APPROVAL_REFUSAL_REASONS) if refused else "",
                        is_work_time=True,
                        approval_state=approval,
                    )
                )
        self.bulk.insert(Application, added)

    def _event_registrations(self) -> None:
        """The marathon's employees register, each with the skills one of its missions
        asks for, so that the teams the organisers compute (``_story_event``) hold."""
        marathon = self.programmes.get("marathon")
        if marathon is None:
            return
        profiles = list(
            VolunteerProfile.objects.filter(employer=marathon.company_id)
            .exclude(pk__in=[p.pk for p in self.profiles[:FIRST_DRAWN_VOLUNTEER]])
            .order_by("pk")
            .values_list("pk", flat=True)[:10]
        )
        # They take part from wherever they are: remotely, or on a hybrid mission's day.
        VolunteerProfile.objects.filter(pk__in=profiles).update(
            accepts_remote=True, accepts_hybrid=True, max_distance_km=800
        )
        needs = [
            list(mission.skills.filter(importance="required").values_list("skill_id", "min_level"))
            for mission in Mission.objects.filter(programme=marathon, state="published")
            .exclude(location_mode="on_site")
            .order_by("pk")
        ]
        if needs:
            for n, pk in enumerate(profiles):
                for skill_id, level in needs[n % len(needs)]:
                    VolunteerSkill.objects.update_or_create(
                        profile_id=pk, skill_id=skill_id, defaults={"level": min(4, level + 1)}
                    )
        self.bulk.insert(
            ProgrammeRegistration,
            [ProgrammeRegistration(programme=marathon, volunteer_id=pk) for pk in profiles],
        )
