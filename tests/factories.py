import datetime
import time

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from associations.models import Association, AssociationMember
from companies.models import Company, CompanyMember
from missions.models import Application, Mission, MissionSkill
from taxonomy.models import Cause, Departement, Skill
from volunteers.models import VolunteerProfile, VolunteerSkill

# The authenticator-app secret of the staff the factory makes (base32, as apps take it).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = STAFF_TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app shows now (``step`` periods later or earlier)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-solide-42")

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Staff must have two-factor authentication: give them an authenticator app
        (``totp=False`` for one that has not activated it yet)."""
        wanted = (
            extracted
            if extracted is not None
            else (self.is_staff or self.is_superuser or self.is_referent)
        )
        if create and wanted:
            TOTP.activate(self, STAFF_TOTP_SECRET)


class AssociationFactory(DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    rna = factory.Sequence(lambda n: f"W{751000000 + n}")
    city = "Lyon"
    postcode = "69003"
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="69"))
    latitude = 45.76
    longitude = 4.85
    verification_state = Association.State.VERIFIED


class AssociationMemberFactory(DjangoModelFactory):
    class Meta:
        model = AssociationMember

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(UserFactory)
    role = AssociationMember.Role.ADMIN


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    siren = "732829320"
    yearly_allowance_hours = 35
    work_time_requires_approval = True


class CompanyMemberFactory(DjangoModelFactory):
    class Meta:
        model = CompanyMember

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = CompanyMember.Role.EMPLOYEE


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    headline = "Contrôleuse de gestion"
    city = "Lyon"
    postcode = "69007"
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="69"))
    latitude = 45.74
    longitude = 4.84
    languages = ["fr"]


class VolunteerSkillFactory(DjangoModelFactory):
    class Meta:
        model = VolunteerSkill

    profile = factory.SubFactory(VolunteerFactory)
    skill = factory.LazyFunction(lambda: Skill.objects.order_by("pk").first())
    level = 3


class MissionFactory(DjangoModelFactory):
    class Meta:
        model = Mission

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Refonte du site web n°{n}")
    summary = "Refaire le site de l'association pour mieux accueillir les bénévoles."
    cause = factory.LazyFunction(lambda: Cause.objects.order_by("pk").first())
    state = Mission.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    seats = 1
    application_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )


class MissionSkillFactory(DjangoModelFactory):
    class Meta:
        model = MissionSkill

    mission = factory.SubFactory(MissionFactory)
    skill = factory.LazyFunction(lambda: Skill.objects.order_by("pk").first())
    min_level = 2


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    mission = factory.SubFactory(MissionFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    state = Application.State.APPLIED
