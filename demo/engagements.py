"""Applications and what follows them: who applies to which mission (mostly volunteers
with the right skills, near by), in which state, with the employer's approval when on
work time; then the hours logged and the evaluations of the engagements under way or
done."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.utils import timezone

from demo.base import BuilderBase, weighted
from demo.catalogue.engagement_texts import (
    ABANDON_MESSAGES,
    APPLICATION_MESSAGES,
    APPROVAL_REFUSAL_REASONS,
    DECLINE_MESSAGES,
    EVALUATION_ASSOCIATION,
    EVALUATION_VOLUNTEER,
    HOURS_DESCRIPTIONS,
    HOURS_REJECTION_REASONS,
    WITHDRAWAL_MESSAGES,
)
from demo.options import FIRST_DRAWN_VOLUNTEER
from missions.models import Application, Evaluation, HoursEntry

if TYPE_CHECKING:
    from companies.models import Company


class EngagementsMixin(BuilderBase):
    # --- applications ------------------------------------------------------------------

    def _plan(self, mission, forced: bool) -> list[str]:
        """The states of a mission's applications; never more seat-holders than seats."""
        rng, seats, state = self.rng, mission.seats, mission.state
        if state in ("draft", "submitted"):
            return []
        if state == "published":
            if forced:
                return ["accepted"] * seats + ["waitlisted", "applied", "declined", "withdrawn"]
            n = weighted(rng, [0, 1, 2, 3, 4, 5, 6, 8], [18, 18, 17, 15, 12, 9, 6, 5])
            taken = min(seats, n, rng.randint(0, seats)) if rng.random() < 0.6 else 0
            plan = ["accepted"] * taken
            for _ in range(n - taken):
                plan.append(
                    weighted(
                        rng,
                        ["applied", "declined", "withdrawn", "waitlisted", "abandoned"],
                        [55, 20, 14, 8 if taken == seats else 0, 3],
                    )
                )
            return plan
        if state == "in_progress":
            if forced:
                holders = ["active"] * (seats - 1) + ["accepted"] if seats > 1 else ["active"]
                return holders + ["abandoned", "declined"]
            taken = rng.randint(1, seats)
            plan = [weighted(rng, ["active", "accepted"], [85, 15]) for _ in range(taken)]
            plan += [
                weighted(rng, ["declined", "withdrawn", "abandoned"], [45, 35, 20])
                for _ in range(weighted(rng, [0, 1, 2, 3], [35, 35, 20, 10]))
            ]
            return plan
        if state == "completed":
            if forced:
                return ["completed"] * seats + ["abandoned", "declined"]
            taken = rng.randint(1, seats)
            return ["completed"] * taken + [
                weighted(rng, ["declined", "withdrawn", "abandoned"], [50, 30, 20])
                for _ in range(weighted(rng, [0, 1, 2, 3], [40, 30, 20, 10]))
            ]
        if state == "cancelled":
            return [
                weighted(rng, ["declined", "withdrawn", "abandoned"], [55, 25, 20])
                for _ in range(weighted(rng, [0, 1, 2, 3, 4], [30, 25, 20, 15, 10]))
            ]
        # expired: nobody was accepted before the deadline
        return [
            weighted(rng, ["declined", "withdrawn"], [60, 40])
            for _ in range(weighted(rng, [0, 1, 2, 3], [40, 30, 20, 10]))
        ]

    def _candidates(self, mission_index: int, k: int) -> list[int]:
        """``k`` distinct volunteers (never the listed ones), mostly with the right skills."""
        rng, n = self.rng, self.o.volunteers
        if n <= FIRST_DRAWN_VOLUNTEER:
            return []
        mission = self.missions[mission_index]
        family = self.mission_family[mission_index]
        family_pool = self.family_pool.get(family, [])
        local_pool = (
            self.local_pool.get((family, mission.departement.code), [])
            if mission.departement is not None
            else []
        )
        k = min(k, n - FIRST_DRAWN_VOLUNTEER)
        chosen: list[int] = []
        seen: set[int] = set()
        attempts = 0
        while len(chosen) < k and attempts < 20 * k + 20:
            attempts += 1
            roll = rng.random()
            if local_pool and roll < 0.5:
                pool = local_pool
            elif family_pool and roll < 0.9:
                pool = family_pool
            else:
                pool = None
            index = (
                pool[rng.randrange(len(pool))] if pool else rng.randrange(FIRST_DRAWN_VOLUNTEER, n)
            )
            if index not in seen:
                seen.add(index)
                chosen.append(index)
        return chosen

    def _applications(self) -> None:
        rng = self.rng
        A = Application
        forced_done: set[str] = set()
        rows: list[tuple[int, int, str]] = []  # (mission index, volunteer index, state)
        for mi, mission in enumerate(self.missions):
            forced = mission.state not in forced_done and mission.state in (
                "published",
                "in_progress",
                "completed",
            )
            plan = self._plan(mission, forced)
            if not plan:
                continue
            forced_done.add(mission.state)
            volunteers = self._candidates(mi, len(plan))
            rows.extend((mi, v, s) for v, s in zip(volunteers, plan, strict=False))

        # The demo volunteer takes a place in a few engagements, one of each kind.
        taken_by_demo: set[int] = set()
        for wanted, mission_state in (
            ("applied", "published"),
            ("accepted", "published"),
            ("active", "in_progress"),
            ("completed", "completed"),
        ):
            for r, (mi, _v, state) in enumerate(rows):
                if (
                    state == wanted
                    and self.missions[mi].state == mission_state
                    and mi not in taken_by_demo
                ):
                    rows[r] = (mi, 0, state)
                    taken_by_demo.add(mi)
                    break

        # And one employer refusal at least, so that every approval state shows.
        refused_row = self._refusal_row(rows)

        applications = []
        for r, (mi, vi, state) in enumerate(rows):
            mission = self.missions[mi]
            employer_index = self.volunteer_employer[vi]
            company = self.companies[employer_index] if employer_index is not None else None
            work_time = company is not None and rng.random() < 0.55
            if r == refused_row:
                work_time = True
            if vi == 0:
                work_time = company is not None and state in ("applied", "active", "completed")
            if mission.state == "in_progress" and state == "accepted":
                # Still accepted after the start: only while the employer has not answered.
                if company is None or not company.work_time_requires_approval:
                    state = "active"
                else:
                    work_time = True
            approval = A.Approval.NOT_REQUIRED
            withdrawal_reason = decline_reason = ""
            message = ""
            if work_time:
                # Work time only with an employer.
                if not cast("Company", company).work_time_requires_approval:
                    approval = A.Approval.APPROVED
                elif mission.state == "in_progress" and state == "accepted":
                    approval = A.Approval.PENDING
                elif state in ("applied", "waitlisted"):
                    approval = weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [65, 35])
                    if vi == 0:
                        approval = A.Approval.PENDING
                elif state == "accepted":
                    approval = weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [35, 65])
                elif state == "declined":
                    approval = weighted(rng, [A.Approval.PENDING, A.Approval.APPROVED], [50, 50])
                elif state == "withdrawn":
                    approval = weighted(
                        rng,
                        [A.Approval.REFUSED, A.Approval.APPROVED, A.Approval.PENDING],
                        [40, 40, 20],
                    )
                    if r == refused_row:
                        approval = A.Approval.REFUSED
                else:  # active, completed, abandoned
                    approval = A.Approval.APPROVED
            if state == "declined":
                if mission.state == "cancelled":
                    decline_reason, message = "mission_changed", mission.state_reason
                elif mission.state == "expired":
                    decline_reason = "mission_filled"
                else:
                    decline_reason = weighted(
                        rng,
                        list(DECLINE_MESSAGES),
                        [30, 25, 10, 25, 0, 10],
                    )
                    if rng.random() < 0.7:
                        message = DECLINE_MESSAGES[decline_reason]
            elif state == "withdrawn":
                if approval == A.Approval.REFUSED:
                    withdrawal_reason = "approval_refused"
                    message = rng.choice(APPROVAL_REFUSAL_REASONS)
                else:
                    withdrawal_reason = weighted(
                        rng,
                        [
                            "no_longer_available",
                            "found_other_mission",
                            "not_as_expected",
                            "no_answer",
                            "other",
                        ],
                        [35, 25, 20, 10, 10],
                    )
                    if rng.random() < 0.6:
                        message = WITHDRAWAL_MESSAGES[withdrawal_reason]
            elif state == "abandoned":
                message = (
                    mission.state_reason
                    if mission.state == "cancelled"
                    else rng.choice(ABANDON_MESSAGES)
                )
            planned = None
            if approval == A.Approval.APPROVED:
                planned = max(1, min(mission.effort_hours // mission.seats + 1, 70))
            decided = None
            if state not in ("applied", "waitlisted", "withdrawn") and mission.published_at:
                span = max(1, int((self.now - mission.published_at).total_seconds()))
                decided = mission.published_at + datetime.timedelta(
                    seconds=rng.randint(span // 10, max(span // 10 + 1, span // 2))
                )
                if state in ("accepted", "active", "completed", "abandoned"):
                    # Volunteers are taken on before the mission starts when it can be.
                    eve = timezone.make_aware(
                        datetime.datetime.combine(mission.start_date, datetime.time(18))
                    ) - datetime.timedelta(days=1)
                    decided = max(mission.published_at, min(decided, eve))
            applications.append(
                Application(
                    created_at=self._applied_at(mission, state, decided),
                    mission=mission,
                    volunteer=self.profiles[vi],
                    origin=weighted(
                        rng, ["applied", "suggested", "invited", "staff"], [75, 15, 8, 2]
                    ),
                    message=rng.choice(APPLICATION_MESSAGES),
                    state=state,
                    decline_reason=decline_reason,
                    withdrawal_reason=withdrawal_reason,
                    state_message=message,
                    is_work_time=work_time,
                    approval_state=approval,
                    planned_hours=planned,
                    decided_at=decided,
                )
            )
        self.bulk.insert(Application, applications)
        self.applications = applications

    def _applied_at(
        self, mission, state: str, decided: datetime.datetime | None
    ) -> datetime.datetime:
        """When the application was sent: after the publication, before the answer, and
        before the deadline; those still waiting, within the last days."""
        opened = mission.published_at or self.now - datetime.timedelta(days=30)
        if decided is not None:
            return self._between(max(opened, decided - datetime.timedelta(days=12)), decided)
        closes = self.now
        if mission.application_deadline is not None:
            closes = min(
                closes,
                timezone.make_aware(
                    datetime.datetime.combine(mission.application_deadline, datetime.time(20))
                ),
            )
        if state in ("applied", "waitlisted"):
            # Associations answer within days: only the stories leave one waiting longer.
            opened = max(opened, closes - datetime.timedelta(days=5))
        return self._between(opened, closes, late=0.3)

    def _refusal_row(self, rows: list[tuple[int, int, str]]) -> int | None:
        """Give the first withdrawn application to an employee whose employer must approve
        work time (the refusal is then the reason of the withdrawal); its index in rows."""
        requiring = [
            vi
            for vi in range(FIRST_DRAWN_VOLUNTEER, self.o.volunteers)
            if self.volunteer_employer[vi] is not None
            and self.companies[cast(int, self.volunteer_employer[vi])].work_time_requires_approval
        ]
        if not requiring:
            return None
        on_mission: dict[int, set[int]] = {}
        for mi, vi, _state in rows:
            on_mission.setdefault(mi, set()).add(vi)
        for r, (mi, _vi, state) in enumerate(rows):
            if state != "withdrawn":
                continue
            free = [vi for vi in requiring[:50] if vi not in on_mission[mi]]
            if free:
                rows[r] = (mi, free[0], state)
                return r
        return None

    # --- hours and evaluations -----------------------------------------------------------

    def _hours_and_evaluations(self) -> None:
        rng = self.rng
        hours, evaluations = [], []
        association_index = {a.pk: i for i, a in enumerate(self.associations)}
        for application in self.applications:
            if application.state not in ("active", "completed"):
                continue
            if application.state == "completed" and application.volunteer is self.profiles[0]:
                continue  # its hours, evaluations and testimonial come from _stories()
            mission = application.mission
            start = max(mission.start_date, timezone.localdate(application.decided_at or self.now))
            last = min(mission.end_date, self.today)
            span = max(0, (last - start).days)
            completed = application.state == "completed"
            if mission.format in ("marathon", "workshop"):
                count = 1
            else:
                count = rng.randint(2, 6) if completed else rng.randint(0, 4)
            for _ in range(count):
                if mission.format in ("marathon", "workshop"):
                    amount = Decimal(min(24, max(1, mission.effort_hours // max(1, span + 1))))
                else:
                    amount = Decimal(rng.choice(["1", "1.5", "2", "2", "2.5", "3", "4"]))
                if completed:
                    state = weighted(rng, ["validated", "rejected", "submitted"], [85, 5, 10])
                else:
                    state = weighted(rng, ["submitted", "validated", "rejected"], [50, 45, 5])
                day = start + datetime.timedelta(days=rng.randint(0, span))
                hours.append(
                    HoursEntry(
                        created_at=self._evening_after(day, within_days=4),
                        application=application,
                        date=day,
                        hours=amount,
                        description=rng.choice(HOURS_DESCRIPTIONS),
                        state=state,
                        rejection_reason=(
                            rng.choice(HOURS_REJECTION_REASONS) if state == "rejected" else ""
                        ),
                    )
                )
            if not completed:
                continue
            rating = weighted(rng, [5, 4, 3, 2, 1], [45, 35, 12, 5, 3])
            objectives = "met" if rating >= 4 else "partly" if rating >= 3 else "not_met"
            if rng.random() < 0.7:
                skills, autonomy, comment = rng.choice(EVALUATION_ASSOCIATION)
                evaluations.append(
                    Evaluation(
                        created_at=self._evening_after(mission.end_date, within_days=20),
                        application=application,
                        side=Evaluation.Side.ASSOCIATION,
                        author=self.association_admin[association_index[mission.association.pk]],
                        rating=rating,
                        objectives=objectives,
                        skills_transferred=skills,
                        autonomy_gained=autonomy,
                        can_continue_alone=weighted(rng, [True, False, None], [60, 25, 15]),
                        comment=comment,
                    )
                )
            if rng.random() < 0.6:
                evaluations.append(
                    Evaluation(
                        created_at=self._evening_after(mission.end_date, within_days=20),
                        application=application,
                        side=Evaluation.Side.VOLUNTEER,
                        author=application.volunteer.user,
                        rating=max(1, min(5, rating + rng.choice([-1, 0, 0, 1]))),
                        objectives=objectives,
                        comment=rng.choice(EVALUATION_VOLUNTEER),
                    )
                )
        self.bulk.insert(HoursEntry, hours, pks=False)
        self.bulk.insert(Evaluation, evaluations, pks=False)
