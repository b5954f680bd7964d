"""The missions: drawn from the templates of a skill family, in every state and format,
with dates that fit their state, places, efforts and seats; the demo association gets
one mission of each interesting state first."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from demo.base import BuilderBase, weighted
from demo.catalogue.engagement_texts import CANCEL_REASONS, REQUEST_CHANGES_REASONS
from demo.catalogue.mission_templates import MISSION_TEMPLATES
from demo.catalogue.organisations import CAUSE_PROFILES
from demo.places import city_phrases
from missions.models import Mission, MissionSkill

if TYPE_CHECKING:
    from collections.abc import Callable

    from taxonomy.models import Departement

# States and formats of the demo association's missions, in order.
DEMO_MISSION_STATES = ["published", "in_progress", "completed", "submitted", "draft", "published"]
DEMO_FORMATS = ["mission", "mentoring", "workshop", "marathon", "mission", "mission"]


class MissionsMixin(BuilderBase):
    def _mission_states(self, m: int) -> list[str]:
        weights = {
            "published": 0.55,
            "draft": 0.08,
            "submitted": 0.07,
            "in_progress": 0.12,
            "completed": 0.10,
            "cancelled": 0.04,
            "expired": 0.04,
        }
        counts = {s: (max(1, round(m * w)) if m >= len(weights) else 0) for s, w in weights.items()}
        counts["published"] += m - sum(counts.values())
        while counts["published"] < 1 and m >= len(weights):
            largest = max(
                (s for s in counts if s != "published"),
                key=cast("Callable[[str], int]", counts.get),  # every key is counted
            )
            counts[largest] -= 1
            counts["published"] += 1
        if m < len(weights):
            cycle = ["published", "in_progress", "completed", "draft", "submitted", "expired"]
            return [cycle[i % len(cycle)] for i in range(m)]
        states = [s for s, c in counts.items() for _ in range(c)]
        self.rng.shuffle(states)
        # The demo association gets one mission in each interesting state, first.
        wanted = DEMO_MISSION_STATES
        front = []
        for state in wanted[: max(1, min(len(wanted), m // 8))]:
            if state in states:
                states.remove(state)
                front.append(state)
        self.demo_mission_count = len(front)
        return front + states

    def _dates(self, state: str, fmt: str) -> dict:
        rng, today = self.rng, self.today
        day = datetime.timedelta(days=1)
        if fmt == "mission":
            duration = 7 * rng.randint(4, 16)
        elif fmt == "mentoring":
            duration = 7 * rng.randint(24, 26)
        elif fmt == "marathon":
            duration = rng.choice([0, 1])
        else:
            duration = 0
        published_at = None
        if state in ("draft", "submitted"):
            start = today + rng.randint(20, 120) * day
            deadline = max(today + 3 * day, start - rng.randint(7, 14) * day)
        elif state in ("published", "cancelled"):
            start = today + rng.randint(7, 120) * day
            deadline = min(start, today + rng.randint(1, 60) * day)
            published_at = self._days_ago(1, 60)
            if rng.random() < 0.2:
                deadline = None
        elif state == "in_progress" and fmt in ("marathon", "workshop"):
            start = today - duration * day  # happening today
            deadline = start - rng.randint(5, 15) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        elif state == "in_progress":
            start = today - rng.randint(7, 70) * day
            duration = max(duration, (today - start).days + rng.randint(7, 90))
            deadline = start - rng.randint(5, 15) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        elif state == "completed":
            end = today - rng.randint(7, 200) * day
            # A year of activity: a share of the finished missions ended months ago.
            end -= self.clock.randint(0, 150) * day
            start = end - duration * day
            deadline = start - rng.randint(7, 20) * day
            published_at = self._days_ago(
                (today - deadline).days + 10, (today - deadline).days + 60
            )
        else:  # expired
            deadline = today - rng.randint(3, 45) * day
            start = deadline + rng.randint(3, 20) * day
            published_at = self._days_ago(
                (today - deadline).days + 15, (today - deadline).days + 60
            )
        end = start + duration * day
        return {
            "start_date": start,
            "end_date": end,
            "application_deadline": deadline,
            "published_at": published_at,
        }

    def _missions(self) -> None:
        rng = self.rng
        m = self.o.missions
        self.demo_mission_count = 0
        states = self._mission_states(m)
        verified = [
            i for i, a in enumerate(self.associations) if a.verification_state == "verified"
        ]
        drafting = [
            i for i, a in enumerate(self.associations) if a.verification_state != "rejected"
        ]
        band_weight = {"0": 1, "1-9": 2, "10-49": 3, "50-249": 4, "250+": 5}
        verified_w = [band_weight[self.associations[i].size_band] for i in verified]
        drafting_w = [band_weight[self.associations[i].size_band] for i in drafting]
        missions, skill_rows = [], []
        self.mission_family: list[str] = []
        for index, state in enumerate(states):
            if index < self.demo_mission_count:
                a_index = 0
            elif state == "draft":
                a_index = weighted(rng, drafting, drafting_w)
            else:
                a_index = weighted(rng, verified, verified_w)
            association = self.associations[a_index]
            causes = self.association_causes[a_index]
            family = weighted(rng, self.family_codes, self.family_weights)
            if causes[0] == "food_aid" and rng.random() < 0.3:
                family = "logistics"
            # Mentoring and workshops come from their own templates; other templates are
            # scoped missions or marathon challenges. The demo association shows every format.
            forced = DEMO_FORMATS[index] if index < self.demo_mission_count else ""
            if forced in ("mentoring", "workshop"):
                template = rng.choice(self.templates_by_format[forced])
                family = self.skill_family[template.required[0]]
            else:
                template = rng.choice(MISSION_TEMPLATES[family])
            fmt = forced or template.format or weighted(rng, ["mission", "marathon"], [86, 14])
            if fmt == "marathon":
                mode = weighted(rng, ["on_site", "hybrid", "remote"], [70, 20, 10])
            elif fmt == "workshop":
                mode = weighted(rng, ["on_site", "remote"], [70, 30])
            else:
                mode = weighted(rng, ["remote", "hybrid", "on_site"], [45, 30, 25])
            seats = {
                "mission": weighted(rng, [1, 2, 3], [70, 25, 5]),
                "marathon": rng.randint(2, 3),
                "mentoring": 1,
                "workshop": rng.randint(1, 2),
            }[fmt]
            if index < self.demo_mission_count and state == "published":
                seats = 2
            dates = self._dates(state, fmt)
            weeks = max(1, ((dates["end_date"] - dates["start_date"]).days + 1) // 7)
            hours_per_week = None
            if fmt == "mission":
                hours_per_week = Decimal(rng.choice([2, 3, 4, 4, 5, 6]))
                effort = int(hours_per_week * weeks)
            elif fmt == "mentoring":
                hours_per_week = Decimal("0.5")
                effort = rng.randint(12, 24)
            elif fmt == "marathon":
                effort = 8 * (1 + (dates["end_date"] - dates["start_date"]).days)
            else:
                effort = rng.choice([2, 3, 4])
            cause = causes[0] if rng.random() < 0.7 else rng.choice(causes)
            languages = list(template.languages)
            if not languages and cause == "refugees_migrants" and rng.random() < 0.15:
                languages = [rng.choice(["ar", "uk", "en"])]
            elif not languages and rng.random() < 0.04:
                languages = ["en"]
            seniority = ""
            if fmt == "mentoring" and rng.random() < 0.5:
                seniority = rng.choice(["senior", "retiree"])
            elif rng.random() < 0.05:
                seniority = rng.choice(["junior", "experienced", "senior"])
            reason = ""
            if state == "cancelled":
                reason = rng.choice(CANCEL_REASONS)
            elif state == "draft" and rng.random() < 0.3:
                reason = rng.choice(REQUEST_CHANGES_REASONS)
            place = self._place_of(association) if mode != "remote" else {}
            programme = None
            if fmt == "marathon" and "marathon" in self.programmes and rng.random() < 0.5:
                programme = self.programmes["marathon"]
            elif (
                "factory" in self.programmes
                and cause == "employment_integration"
                and cast("Departement", association.departement).code == "69"  # demo places
            ):
                programme = self.programmes["factory"]
            elif "campaign" in self.programmes and cause == "digital_inclusion":
                programme = self.programmes["campaign"]
            fmt_sentence = {
                "mission": f"Mission d'environ {weeks} semaines, {hours_per_week} h par semaine.",
                "mentoring": "Mentorat sur six mois environ, un rendez-vous par mois.",
                "marathon": "Format Probono Marathon : une équipe pluridisciplinaire, une "
                "journée intensive.",
                "workshop": "Une session d'atelier, préparée en amont avec l'équipe.",
            }[fmt]
            where = {
                "remote": "La mission se fait entièrement à distance, avec un point en visio "
                "chaque semaine.",
                "hybrid": f"Mission hybride : quelques rendez-vous dans nos locaux "
                f"{city_phrases(association.city)['a_city']}, le reste à distance.",
                "on_site": f"La mission se déroule dans nos locaux "
                f"{city_phrases(association.city)['a_city']}.",
            }[mode]
            missions.append(
                Mission(
                    association=association,
                    title=template.title,
                    summary=template.summary,
                    description=(
                        f"{association.name} {CAUSE_PROFILES[causes[0]][1]}. {template.context}"
                        f"\n\n{fmt_sentence} {where}"
                    ),
                    deliverable=template.deliverable,
                    cause=self.causes[cause],
                    format=fmt,
                    location_mode=mode,
                    address=association.address if mode != "remote" else "",
                    effort_hours=max(1, effort),
                    hours_per_week=hours_per_week,
                    seats=seats,
                    languages=languages,
                    preferred_seniority=seniority,
                    programme=programme,
                    state=state,
                    state_reason=reason,
                    created_by=self.association_admin[a_index],
                    **dates,
                    **place,
                )
            )
            self.mission_family.append(family)
            for code in template.required:
                skill_rows.append((index, code, rng.choice([2, 3, 3]), "required"))
            nice = list(template.nice)
            if nice:
                for code in rng.sample(nice, rng.randint(0, min(2, len(nice)))):
                    skill_rows.append((index, code, rng.choice([1, 2]), "nice_to_have"))
        self.bulk.insert(Mission, missions)
        self.bulk.insert(
            MissionSkill,
            [
                MissionSkill(
                    mission_id=missions[i].pk,
                    skill_id=self.skills[code].pk,
                    min_level=level,
                    importance=importance,
                )
                for i, code, level, importance in skill_rows
            ],
            pks=False,
        )
        self.missions = missions

    def _place_of(self, association) -> dict:
        return {
            "city": association.city,
            "postcode": association.postcode,
            "departement": association.departement,
            "latitude": association.latitude,
            "longitude": association.longitude,
        }
