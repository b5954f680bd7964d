"""The organisations: companies (a foundation under the first one) with their e-mail
domains, then associations in every verification state, each with its admin (and
sometimes a member), their causes, sizes, RNA and SIRET numbers."""

from __future__ import annotations

from associations.models import Association, AssociationMember
from companies.models import Company, CompanyDomain
from demo.base import BuilderBase, weighted
from demo.catalogue.organisations import (
    ASSOCIATION_NAMES,
    CAUSE_PROFILES,
    COMPANIES,
    REJECTION_REASONS,
    SUSPENSION_REASON,
)
from demo.identifiers import ascii_slug, valid_siren, valid_siret
from demo.options import ASSOCIATION_ROLE
from demo.places import city_phrases


class OrganisationsMixin(BuilderBase):
    # --- companies ---------------------------------------------------------------------

    def _companies(self) -> None:
        rng = self.rng
        companies, domains = [], []
        self.company_specs = []
        for i in range(self.o.companies):
            name, sector, allowance, approval, headcount = COMPANIES[i % len(COMPANIES)]
            if i >= len(COMPANIES):
                name = f"{name} {i // len(COMPANIES) + 1}"
            company = Company(
                name=name,
                slug=self._slug("company", name),
                kind=Company.Kind.COMPANY,
                siren=valid_siren(rng, rng.choice("3456")),
                yearly_allowance_hours=allowance,
                work_time_requires_approval=approval,
            )
            companies.append(company)
            self.company_specs.append((sector, headcount))
        self.foundation = None
        if companies:
            parent = companies[0]
            self.foundation = Company(
                name=f"Fondation {parent.name.split()[0]} pour l'Emploi",
                slug=self._slug("company", f"fondation-{parent.slug}"),
                kind=Company.Kind.FOUNDATION,
                siren=valid_siren(rng, "8"),
                yearly_allowance_hours=0,
                work_time_requires_approval=True,
            )
        self.bulk.insert(Company, companies)
        if self.foundation is not None:
            self.foundation.parent = companies[0]
            self.bulk.insert(Company, [self.foundation])
        self.companies = companies
        self.company_domain = {}
        for company in companies:
            label = ascii_slug(company.name)[:40].strip("-")
            domain, n = f"{label}.test", 1
            while domain in self.used_domains:
                n += 1
                domain = f"{label}{n}.test"
            self.used_domains.add(domain)
            self.company_domain[company.pk] = domain
            domains.append(CompanyDomain(company=company, domain=domain))
        self.bulk.insert(CompanyDomain, domains)

    # --- associations ------------------------------------------------------------------

    def _association_states(self, k: int) -> list[str]:
        states = ["verified"] * k
        if k >= 4:
            others = (
                ["suspended"]
                + ["rejected"] * max(1, round(k * 0.05))
                + ["pending"] * max(1, round(k * 0.12))
            )
            slots = self.rng.sample(range(1, k), min(len(others), k - 1))
            for slot, state in zip(slots, others, strict=False):
                states[slot] = state
        return states

    def _associations(self) -> None:
        rng = self.rng
        k = self.o.associations
        states = self._association_states(k)
        cities = self._pick_cities(k)
        # The demo association is in Lyon, where the demo referent works; so is the
        # first one waiting for verification.
        lyon = self._city_named("Lyon")
        cities[0] = lyon
        if "pending" in states:
            cities[states.index("pending")] = lyon
        size_bands = [b.value for b in Association.SizeBand]
        used_names: set[str] = set()
        used_rna: set[str] = set()
        associations, cause_links, admins, members = [], [], [], []
        self.association_admin: list = []
        self.association_causes: list[list[str]] = []
        for i in range(k):
            city = cities[i]
            cause = weighted(rng, self.cause_codes, self.cause_weights)
            if i == 0:
                cause = "employment_integration"
            phrases = city_phrases(city.name)
            name = ""
            for _attempt in range(12):
                name = rng.choice(ASSOCIATION_NAMES[cause]).format(**phrases)
                if name not in used_names:
                    break
            else:
                name = f"{name} – antenne {sum(n.startswith(name) for n in used_names) + 1}"
            used_names.add(name)
            causes = [cause]
            if rng.random() < 0.6:
                causes.append(CAUSE_PROFILES[cause][3])
            if rng.random() < 0.2:
                extra = weighted(rng, self.cause_codes, self.cause_weights)
                if extra not in causes:
                    causes.append(extra)
            self.association_causes.append(causes)

            band = weighted(rng, size_bands, [35, 35, 18, 9, 3])
            year = min(
                self.today.year - 1,
                rng.choice([rng.randint(1901, 1980), rng.randint(1981, 2024)]),
            )
            if rng.random() < 0.75:
                year = max(year, rng.randint(1985, self.today.year - 1))
            alsace_moselle = city.departement in ("57", "67", "68")
            rna = ""
            if not alsace_moselle:
                prefix = city.departement[:2] if city.departement[:2].isdigit() else "20"
                while not rna or rna in used_rna:
                    rna = f"W{prefix}{rng.randrange(10**7):07d}"
                used_rna.add(rna)
            siret = ""
            if alsace_moselle or rng.random() < (0.3 if band == "0" else 0.75):
                siren = valid_siren(rng, rng.choice("78"))
                siret = valid_siret(siren, rng) if rng.random() < 0.7 else siren
            state = states[i]
            _weight, activity, audience, _related = CAUSE_PROFILES[cause]
            label = ascii_slug(name)[:40].strip("-")
            people = {
                "0": f"{rng.randint(8, 60)} bénévoles actifs",
                "1-9": f"{rng.randint(2, 9)} salariés et une trentaine de bénévoles",
                "10-49": f"{rng.randint(10, 49)} salariés et une centaine de bénévoles",
                "50-249": f"{rng.randint(50, 249)} salariés et plusieurs centaines de bénévoles",
                "250+": f"plus de {rng.choice([250, 300, 400])} salariés dans toute la région",
            }[band]
            summary = f"Association {city_phrases(city.name)['de_city']} qui {activity}."
            description = (
                f"Fondée en {year} {phrases['a_city']}, {name} {activity}. Elle accompagne "
                f"{audience}, avec {people}.\n\n"
                f"Nous faisons appel au pro bono pour nous structurer : nos équipes sont "
                f"mobilisées sur le terrain et nous n'avons pas les moyens de recruter sur les "
                f"fonctions support."
            )
            association = Association(
                name=name,
                slug=self._slug("association", name),
                rna=rna,
                siret=siret,
                summary=summary[:280],
                description=description,
                address=rng.choice(self.streets),
                size_band=band,
                founded_year=year,
                website=f"https://{label}.example.org" if rng.random() < 0.6 else "",
                contact_email=f"contact@{label}.example.org",
                verification_state=state,
                rejection_reason=(
                    rng.choice(REJECTION_REASONS)
                    if state == "rejected"
                    else SUSPENSION_REASON
                    if state == "suspended"
                    else ""
                ),
                verified_at=self._days_ago(20, 700) if state in ("verified", "suspended") else None,
                **self._place(city),
            )
            associations.append(association)
            first, last, _female = self._person()
            email = (
                "association@probono.test" if i == 0 else self._email(first, last, "example.org")
            )
            if i == 0:
                self.used_emails.add(email)
            admin = self._user(first, last, email, signup_role=ASSOCIATION_ROLE)
            if i == 0:
                admin.language = "fr"
            admins.append(admin)
            if rng.random() < 0.25:
                first, last, _female = self._person()
                email = self._email(first, last, "example.org")
                members.append((i, self._user(first, last, email, signup_role=ASSOCIATION_ROLE)))
        self.bulk.insert(self.User, admins + [user for _i, user in members], "accounts.User")
        self.bulk.insert(Association, associations)
        through = Association.causes.through
        for association, causes in zip(associations, self.association_causes, strict=True):
            for code in causes:
                cause_links.append(
                    through(association_id=association.pk, cause_id=self.causes[code].pk)
                )
        self.bulk.insert(through, cause_links, "associations.Association_causes", pks=False)
        self.bulk.insert(
            AssociationMember,
            [
                AssociationMember(association=a, user=u, role=AssociationMember.Role.ADMIN)
                for a, u in zip(associations, admins, strict=True)
            ]
            + [
                AssociationMember(association=associations[i], user=u, role="member")
                for i, u in members
            ],
            pks=False,
        )
        self.associations = associations
        self.association_admin = admins
