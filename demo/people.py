"""The people: volunteers (the two listed ones first) with their skills, causes and
availability, some of them employees of the companies; the companies' managers and
programme admins; the platform staff; the admins of the two associations the stories
register; and everyone's verified e-mail address."""

from __future__ import annotations

import datetime
from collections import Counter

from allauth.account.models import EmailAddress

from companies.models import CompanyMember
from demo.base import BuilderBase, weighted
from demo.catalogue.occupations import (
    BIO_MOTIVATIONS,
    BIO_OPENINGS,
    NEIGHBOUR_FAMILIES,
    OCCUPATIONS,
)
from demo.options import (
    ASSOCIATION_ROLE,
    COMPANY_ROLE,
    ENGLISH_VOLUNTEER_EMAIL,
    FIRST_DRAWN_VOLUNTEER,
    MARKER_EMAIL,
    PENDING_ASSOCIATION_EMAIL,
    REJECTED_ASSOCIATION_EMAIL,
    VOLUNTEER_ROLE,
)
from legal.models import KINDS_TO_ACCEPT, Consent, LegalDocument
from volunteers.models import VolunteerProfile, VolunteerSkill


class PeopleMixin(BuilderBase):
    # --- volunteers --------------------------------------------------------------------

    def _volunteers(self) -> None:
        rng = self.rng
        n = self.o.volunteers
        cities = self._pick_cities(n)
        cities[:FIRST_DRAWN_VOLUNTEER] = [self._city_named("Lyon")] * min(n, FIRST_DRAWN_VOLUNTEER)
        headcounts = [spec[1] for spec in self.company_specs]
        seniorities = ["junior", "experienced", "senior", "retiree"]
        language_sets = [
            ["fr"],
            ["fr", "en"],
            ["fr", "en", "es"],
            ["fr", "ar"],
            ["fr", "en", "de"],
            ["fr", "pt"],
            ["fr", "it"],
            ["fr", "uk", "ru"],
            ["fr", "fsl"],
        ]
        language_weights = [78, 14, 3, 2, 1, 1, 0.5, 0.3, 0.2]
        slot_sets = [
            ["weekday_evening"],
            ["weekday_evening", "weekend"],
            ["weekend"],
            ["weekday_daytime"],
            ["weekday_daytime", "weekday_evening"],
            ["weekday_daytime", "weekday_evening", "weekend"],
        ]
        profiles, users, skill_rows, cause_rows = [], [], [], []
        employees: list[tuple[int, int]] = []  # (profile index, company index)
        self.volunteer_families: list[set[str]] = []
        self.volunteer_employer: list[int | None] = []
        self.volunteer_departement: list[str] = []
        for i in range(n):
            city = cities[i]
            family = weighted(rng, self.family_codes, self.family_weights)
            masc, fem, core = rng.choice(OCCUPATIONS[family])
            seniority = weighted(rng, seniorities, [20, 35, 25, 20])
            if i == 0:
                family, (masc, fem, core), seniority = "data", OCCUPATIONS["data"][0], "experienced"
            first, last, female = self._person()
            title = fem if female else masc
            employer = None
            if self.companies and seniority != "retiree" and (i == 0 or rng.random() < 0.5):
                employer = 0 if i == 0 else weighted(rng, range(len(self.companies)), headcounts)
            years = {
                "junior": rng.randint(1, 4),
                "experienced": rng.randint(5, 15),
                "senior": rng.randint(16, 30),
                "retiree": rng.randint(25, 40),
            }[seniority]
            if seniority == "retiree":
                headline = f"{title} retraité{'e' if female else ''}"
            elif seniority == "senior" and rng.random() < 0.5:
                headline = f"{title} senior"
            else:
                headline = title
            if i == 1:
                # The English-speaking volunteer is independent: no employer, no work time.
                employer = None
            if employer is not None and rng.random() < 0.5:
                headline = f"{headline} chez {self.companies[employer].name}"
            elif seniority != "junior" and rng.random() < 0.3:
                headline = f"{headline}, {years} ans d'expérience"
            field_name = self.skills[core[0]].name_fr.lower()
            bio = (
                f"{rng.choice(BIO_OPENINGS).format(years=years, field=field_name)} "
                f"{rng.choice(BIO_MOTIVATIONS)}"
            )

            # Skills: mostly from the occupation's family, sometimes one neighbour family.
            chosen = list(dict.fromkeys(rng.sample(core, min(len(core), rng.randint(2, 3)))))
            pool = [s for s in self.family_skills[family] if s not in chosen]
            target = rng.choices([2, 3, 4, 5, 6], weights=[15, 30, 30, 15, 10])[0]
            while len(chosen) < target - 1 and pool:
                chosen.append(pool.pop(rng.randrange(len(pool))))
            if rng.random() < 0.45 or len(chosen) < 2:
                neighbour = rng.choice(NEIGHBOUR_FAMILIES[family])
                extra = [s for s in self.family_skills[neighbour] if s not in chosen]
                chosen.extend(rng.sample(extra, min(len(extra), rng.randint(1, 2))))
            base_level = {"junior": 2, "experienced": 3, "senior": 3, "retiree": 3}[seniority]
            families = set()
            for position, code in enumerate(chosen[:6]):
                own = self.skill_family[code] == family
                level = base_level + (1 if own and position == 0 and seniority != "junior" else 0)
                level -= 0 if own else rng.randint(0, 1)
                level = max(1, min(4, level + rng.choice([-1, 0, 0, 0, 1])))
                skill_rows.append((i, self.skills[code].pk, level))
                families.add(self.skill_family[code])
            self.volunteer_families.append(families)

            causes = rng.sample(self.cause_codes, rng.randint(1, 3))
            for code in causes:
                cause_rows.append((i, self.causes[code].pk))

            retiree = seniority == "retiree"
            hours = rng.choice(
                [4, 6, 8, 10, 12, 16, 20, 30] if retiree else [2, 4, 4, 6, 8, 10, 12]
            )
            remote = rng.random() < 0.85
            on_site = rng.random() < (0.8 if retiree else 0.6)
            hybrid = rng.random() < 0.7
            if not (remote or on_site or hybrid):
                remote = True
            available_from = (
                self.today + datetime.timedelta(days=rng.randint(0, 60))
                if rng.random() < 0.2
                else None
            )
            available_until = (
                (available_from or self.today) + datetime.timedelta(days=rng.randint(90, 365))
                if rng.random() < 0.1
                else None
            )
            slots = rng.choice(slot_sets)
            if retiree and "weekday_daytime" not in slots:
                slots = ["weekday_daytime", *slots]
            if employer is not None:
                domain = self.company_domain[self.companies[employer].pk]
            else:
                domain = rng.choice(("example.org", "example.net", "example.com"))
            if i == 0:
                email = "benevole@probono.test"
            elif i == 1:
                email = ENGLISH_VOLUNTEER_EMAIL
            else:
                email = self._email(first, last, domain)
            user = self._user(first, last, email, signup_role=VOLUNTEER_ROLE)
            if i <= 1:
                user.language = "fr" if i == 0 else "en"
            users.append(user)
            profiles.append(
                VolunteerProfile(
                    user=user,
                    headline=headline[:160],
                    bio=bio,
                    occupation=title,
                    seniority=seniority,
                    hours_per_month=hours,
                    available_from=available_from,
                    available_until=available_until,
                    time_slots=slots,
                    accepts_remote=remote,
                    accepts_on_site=on_site,
                    accepts_hybrid=hybrid,
                    max_distance_km=rng.choice([5, 10, 20, 20, 30, 30, 50, 100, 200]),
                    languages=(
                        ["en", "fr"]
                        if i == 1
                        else list(weighted(rng, language_sets, language_weights))
                    ),
                    employer=self.companies[employer] if employer is not None else None,
                    is_visible=i < FIRST_DRAWN_VOLUNTEER or rng.random() < 0.95,
                    **self._place(city),
                )
            )
            self.volunteer_employer.append(employer)
            self.volunteer_departement.append(city.departement)
            if employer is not None:
                employees.append((i, employer))
        self.bulk.insert(self.User, users, "accounts.User", key="email")
        self.bulk.insert(VolunteerProfile, profiles, key="user_id")
        self.bulk.insert_rows(
            VolunteerSkill,
            ("profile_id", "skill_id", "level"),
            [(profiles[i].pk, skill_id, level) for i, skill_id, level in skill_rows],
        )
        self.bulk.insert_rows(
            VolunteerProfile.causes.through,
            ("volunteerprofile_id", "cause_id"),
            [(profiles[i].pk, cause_id) for i, cause_id in cause_rows],
            "volunteers.VolunteerProfile_causes",
        )
        self.profiles = profiles

        # Company people: employees (the volunteers above), managers and programme admins.
        staff = []  # (company, user, role)
        per_company = Counter(company_index for _i, company_index in employees)
        self.programme_admins = {}
        for index, company in enumerate(self.companies):
            domain = self.company_domain[company.pk]
            managers = max(1, min(25, round(per_company[index] / 150)))
            for m in range(managers + 1):
                first, last, _female = self._person()
                if index == 0 and m == 0:
                    email = "entreprise@probono.test"
                    self.used_emails.add(email)
                else:
                    email = self._email(first, last, domain)
                user = self._user(first, last, email, signup_role=COMPANY_ROLE)
                if index == 0 and m == 0:
                    user.language = "fr"
                role = CompanyMember.Role.PROGRAMME_ADMIN if m == 0 else CompanyMember.Role.MANAGER
                staff.append((company, user, role))
                if m == 0:
                    self.programme_admins[company.pk] = user
        if self.foundation is not None:
            first, last, _female = self._person()
            domain = self.company_domain[self.companies[0].pk]
            email = self._email(first, last, domain)
            user = self._user(first, last, email, signup_role=COMPANY_ROLE)
            staff.append((self.foundation, user, CompanyMember.Role.PROGRAMME_ADMIN))
        self.bulk.insert(self.User, [user for _c, user, _r in staff], "accounts.User")
        members = [
            (
                self.companies[company_index].pk,
                users[i].pk,
                CompanyMember.Role.EMPLOYEE.value,
                rng.choice([7, 35, 70]) if rng.random() < 0.04 else None,
                self.now,
            )
            for i, company_index in employees
        ] + [(company.pk, user.pk, role.value, None, self.now) for company, user, role in staff]
        self.bulk.insert_rows(
            CompanyMember,
            ("company_id", "user_id", "role", "allowance_hours_override", "joined_at"),
            members,
        )

        # Who can be picked for a mission: by skill family, and by family and département.
        self.family_pool: dict[str, list[int]] = {}
        self.local_pool: dict[tuple[str, str], list[int]] = {}
        for i in range(FIRST_DRAWN_VOLUNTEER, n):
            for family in self.volunteer_families[i]:
                self.family_pool.setdefault(family, []).append(i)
                self.local_pool.setdefault((family, self.volunteer_departement[i]), []).append(i)

    # --- staff, the stories' association admins, everyone's e-mail address ------------

    def _staff(self) -> None:
        for email in (MARKER_EMAIL, "referent@probono.test"):
            self.used_emails.add(email)
        admin = self._user(
            "Sophie", "Lambert", MARKER_EMAIL, is_staff=True, is_superuser=True, language="fr"
        )
        referent = self._user(
            "Julien",
            "Moreau",
            "referent@probono.test",
            is_staff=True,
            is_referent=True,
            language="fr",
        )
        self.bulk.insert(self.User, [admin, referent], "accounts.User")
        self.referent = referent
        referent.referent_departements.set([self.departements["69"]])
        if "11" in self.regions:
            referent.referent_regions.set([self.regions["11"]])

    def _story_accounts(self) -> None:
        """The admins of the two associations the stories register through the services
        (``demo.stories``)."""
        self.story_admins = {}
        for email, first, last in (
            (PENDING_ASSOCIATION_EMAIL, "Nadia", "Benali"),
            (REJECTED_ASSOCIATION_EMAIL, "Marc", "Delorme"),
        ):
            self.used_emails.add(email)
            self.story_admins[email] = self._user(
                first,
                last,
                email,
                signup_role=ASSOCIATION_ROLE,
                language="fr",
                date_joined=self._days_ago(2, 20),
            )
        self.bulk.insert(self.User, list(self.story_admins.values()), "accounts.User")

    def _email_addresses(self) -> None:
        self.bulk.insert_rows(
            EmailAddress,
            ("user_id", "email", "verified", "primary"),
            [(user.pk, user.email, True, True) for user in self.users],
        )

    def _consents(self) -> None:
        """Everyone signed up through the form: they accepted the terms and the privacy
        policy in force."""
        documents = list(LegalDocument.objects.current().filter(kind__in=KINDS_TO_ACCEPT))
        self.bulk.insert_rows(
            Consent,
            ("user_id", "document_id", "kind", "version"),
            [(user.pk, doc.pk, doc.kind, doc.version) for user in self.users for doc in documents],
        )
