"""What every step of the demo generator shares: the options, one seeded random
generator, the clock, the pools of names, streets and cities drawn up front, the
reference data, and what earlier steps made (declared below, with the step that makes
it). Each step lives in its own module as a mixin of :class:`BuilderBase`;
``demo.builder.DemoBuilder`` puts them together and runs them in order."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from associations.models import Association, AssociationMember
from companies.models import Company, CompanyDomain
from core.models import ActionLog
from demo.bulk import BulkWriter
from demo.catalogue.mission_templates import MISSION_TEMPLATES
from demo.catalogue.occupations import FAMILY_WEIGHTS, OCCUPATIONS
from demo.catalogue.organisations import CAUSE_PROFILES, STREET_WORDS
from demo.catalogue.template import MissionTemplate
from demo.identifiers import ascii_slug
from demo.options import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoOptions, DemoResult
from demo.places import City, demo_cities, postcode_for
from notifications.models import Notification
from taxonomy.models import Cause, Departement, Region, Skill

if TYPE_CHECKING:
    from accounts.models import User
    from companies.models import Programme


def weighted(rng: random.Random, items: Sequence, weights: Sequence[float]):
    return rng.choices(items, weights=weights, k=1)[0]


class BuilderBase:
    # Made by _prepare() below, with the pools of names and the weights of the draws.
    skills: dict[str, Skill]
    skill_family: dict[str, str]  # skill code -> family code
    family_skills: dict[str, list[str]]
    causes: dict[str, Cause]
    departements: dict[str, Departement]
    regions: dict[str, Region]
    cities: list[City]
    streets: list[str]
    # Made by the organisations step (companies first, then associations).
    companies: list[Company]
    company_specs: list[tuple[str, int]]  # (sector, relative headcount) per company
    company_domain: dict[int, str]  # company pk -> e-mail domain of its people
    foundation: Company | None
    associations: list[Association]
    association_admin: list  # the admin user of each association, same order
    association_causes: list[list[str]]
    # Made by the people step: volunteers (the listed ones first), company staff, pools
    # of candidates for the missions.
    profiles: list
    volunteer_families: list[set[str]]
    volunteer_employer: list[int | None]  # index into companies
    volunteer_departement: list[str]
    programme_admins: dict[int, User]
    family_pool: dict[str, list[int]]
    local_pool: dict[tuple[str, str], list[int]]
    referent: User
    story_admins: dict[str, User]
    # Made by the programmes step.
    programmes: dict[str, Programme]
    # Made by the missions step (the demo association's missions first).
    missions: list
    mission_family: list[str]
    demo_mission_count: int
    # Made by the engagements step.
    applications: list

    def __init__(self, options: DemoOptions, log: Callable[[str], None] | None = None):
        if options.associations < 1 or options.volunteers < 1:
            raise ValueError("At least one association and one volunteer are needed.")
        if options.missions < 0 or options.companies < 0:
            raise ValueError("Counts cannot be negative.")
        self.o = options
        self.rng = random.Random(options.seed)
        # When things happened: a stream of its own, so dates never shift the rest.
        self.clock = random.Random(options.seed + 1)
        self.log = log or (lambda message: None)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.result = DemoResult(created=True, accounts=list(DEMO_ACCOUNTS))
        self.bulk = BulkWriter(now=self.now, counts=self.result.counts)
        self.backdated: list[tuple[models.Model, datetime.datetime]] = []
        self.users: list = []
        self.used_emails: set[str] = set()
        self._last_tick = time.perf_counter()

    def _tick(self, label: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((label, now - self._last_tick))
        self.log(f"  {label}: {now - self._last_tick:.1f} s")
        self._last_tick = now

    def _days_ago(self, low: int, high: int) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(low, high), minutes=self.rng.randint(0, 24 * 60 - 1)
        )

    def _between(
        self, low: datetime.datetime, high: datetime.datetime, *, late: float = 0.0
    ) -> datetime.datetime:
        """A moment between ``low`` and ``high`` (both capped at now), drawn from
        ``self.clock``; ``late`` (0 to 1) leans it towards ``high``."""
        high = min(high, self.now)
        low = min(low, high)
        share = self.clock.random() ** (1 - late) if late else self.clock.random()
        return low + (high - low) * share

    def _evening_after(self, day: datetime.date, *, within_days: int) -> datetime.datetime:
        """A moment in the ``within_days`` after ``day`` (not after now)."""
        evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
        return self._between(evening, evening + datetime.timedelta(days=within_days))

    def _email(self, first: str, last: str, domain: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{base}@{domain}"
        n = 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used_emails.add(email)
        return email

    def _person(self) -> tuple[str, str, bool]:
        female = self.rng.random() < 0.5
        first = self.rng.choice(self.first_names_f if female else self.first_names_m)
        return first, self.rng.choice(self.last_names), female

    def _user(self, first: str, last: str, email: str, **extra):
        """A user to bulk-insert; ``signup_role`` says what they signed up as (blank for
        staff), ``language`` is drawn (3 % English) unless given."""
        date_joined = extra.pop("date_joined", None) or self._days_ago(30, 900)
        drawn = "en" if self.rng.random() < 0.03 else "fr"
        user = self.User(
            email=email,
            first_name=first,
            last_name=last,
            password=self.password,
            date_joined=date_joined,
            language=extra.pop("language", drawn),
            **extra,
        )
        self.users.append(user)
        return user

    def _prepare(self) -> None:
        self.User = get_user_model()
        self.password = make_password(DEMO_PASSWORD)
        fake = Faker("fr_FR")
        fake.seed_instance(self.o.seed)
        self.first_names_m = sorted({fake.first_name_male() for _ in range(1500)})
        self.first_names_f = sorted({fake.first_name_female() for _ in range(1500)})
        self.last_names = sorted({fake.last_name() for _ in range(3000)})
        self.streets = [
            f"{self.rng.randint(1, 120)} {self.rng.choice(STREET_WORDS)} {fake.last_name()}"
            for _ in range(300)
        ] + [fake.street_address().replace("\n", " ") for _ in range(300)]

        self.skills = {s.code: s for s in Skill.objects.select_related("family").order_by("code")}
        self.skill_family = {code: s.family.code for code, s in self.skills.items()}
        self.family_skills: dict[str, list[str]] = {}
        for code, family in self.skill_family.items():
            self.family_skills.setdefault(family, []).append(code)
        self.causes = {c.code: c for c in Cause.objects.order_by("code")}
        self.departements = {d.code: d for d in Departement.objects.order_by("code")}
        self.regions = {r.code: r for r in Region.objects.order_by("code")}
        missing = {
            code
            for templates in MISSION_TEMPLATES.values()
            for t in templates
            for code in t.required + t.nice
        } | {code for occs in OCCUPATIONS.values() for o in occs for code in o[2]}
        missing -= set(self.skills)
        if missing or not self.causes or not self.departements:
            raise RuntimeError(
                f"Reference data is missing (run migrate first): {sorted(missing)[:5]}"
            )

        self.cities = [c for c in demo_cities() if c.departement in self.departements]
        # Big cities weigh a little more than their population: that is where most
        # associations and corporate volunteers are.
        self.city_weights = [c.population**1.15 for c in self.cities]
        cumulative, total = [], 0.0
        for weight in self.city_weights:
            total += weight
            cumulative.append(total)
        self.city_cumulative = cumulative

        self.used_emails = {
            email.lower() for email in self.User.objects.values_list("email", flat=True)
        }
        self.used_slugs = {
            "association": set(Association.objects.values_list("slug", flat=True)),
            "company": set(Company.objects.values_list("slug", flat=True)),
        }
        self.used_domains = set(CompanyDomain.objects.values_list("domain", flat=True))
        self.cause_codes = list(CAUSE_PROFILES)
        self.cause_weights = [CAUSE_PROFILES[c][0] for c in self.cause_codes]
        self.templates_by_format: dict[str, list[MissionTemplate]] = {}
        for templates in MISSION_TEMPLATES.values():
            for template in templates:
                self.templates_by_format.setdefault(template.format, []).append(template)
        self.family_codes = list(FAMILY_WEIGHTS)
        self.family_weights = [FAMILY_WEIGHTS[f] for f in self.family_codes]

    def _pick_cities(self, k: int) -> list[City]:
        return self.rng.choices(self.cities, cum_weights=self.city_cumulative, k=k)

    def _city_named(self, name: str) -> City:
        return next((c for c in self.cities if c.name == name), self.cities[0])

    def _place(self, city: City) -> dict:
        return {
            "city": city.name,
            "postcode": postcode_for(city, self.rng),
            "departement": self.departements[city.departement],
            "latitude": city.latitude,
            "longitude": city.longitude,
        }

    def _slug(self, kind: str, name: str) -> str:
        base = slugify(name)[:200] or kind
        slug, n = base, 1
        while slug in self.used_slugs[kind]:
            n += 1
            slug = f"{base}-{n}"
        self.used_slugs[kind].add(slug)
        return slug

    def _backdate(self, obj, when: datetime.datetime, about=None) -> None:
        """Services stamp ``created_at`` with now: move a story's step into the past, with
        its audit log entries and the notifications about it (``about``, the object they
        point to, if not ``obj``), those made so far and those made after the commit."""
        type(obj).objects.filter(pk=obj.pk).update(created_at=when)
        obj.created_at = when
        ActionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).update(created_at=when)
        self.backdated.append((about or obj, when))
        self._realign_notifications([(about or obj, when)])

    def _realign_notifications(self, steps: list[tuple[models.Model, datetime.datetime]]):
        """Date the notifications made during the run about each step's object with the
        step: the first step of an object takes those made after the commit."""
        for target, when in steps:
            Notification.objects.filter(
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                created_at__gt=self.now,
            ).update(created_at=when)

    def _listed_volunteer(self, index: int):
        return self.profiles[index] if index < len(self.profiles) else None

    def _admin_of(self, association):
        # Every demo association has its admin.
        admin = cast(
            AssociationMember,
            AssociationMember.objects.filter(
                association=association, role=AssociationMember.Role.ADMIN
            )
            .select_related("user")
            .order_by("pk")
            .first(),
        )
        return admin.user
