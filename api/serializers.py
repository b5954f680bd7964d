"""Shapes of the API's resources. Serializers only parse and render: every write goes
through a service (``missions.services``, ``missions.outreach``...)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from associations.models import Association
from companies.models import Company, CompanyMember, Programme
from matching.models import SuggestionSource
from missions.models import (
    MISSION_INPUT_FIELDS,
    Application,
    Evaluation,
    HoursEntry,
    Mission,
    MissionSkill,
)
from taxonomy.choices import Language
from taxonomy.models import Cause, Departement, Skill, SkillFamily
from volunteers import exposure
from volunteers.models import SkillLevel, TimeSlot, VolunteerProfile
from volunteers.services import PROFILE_FIELDS

from .models import ApiKey, WebhookDelivery, WebhookEndpoint, WebhookEvent


class BilingualNameField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.name


class SkillSerializer(serializers.ModelSerializer):
    name = BilingualNameField(help_text="Name in the request's language.")
    family: "serializers.SlugRelatedField[SkillFamily]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    synonyms = serializers.ListField(
        source="synonym_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Words people type for the skill, which the mission search understands.",
    )

    class Meta:
        model = Skill
        fields = ["code", "name", "name_fr", "name_en", "family", "synonyms"]


class CauseSerializer(serializers.ModelSerializer):
    name = BilingualNameField(help_text="Name in the request's language.")

    class Meta:
        model = Cause
        fields = ["code", "name", "name_fr", "name_en", "sdgs"]


class TerritorySerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Departement
        fields = ["code", "name", "region_code", "region_name", "latitude", "longitude"]


class AssociationSerializer(serializers.ModelSerializer):
    website = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    causes: "serializers.SlugRelatedField[Cause]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    departement: "serializers.SlugRelatedField[Departement]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Association
        fields = [
            "id",
            "slug",
            "name",
            "summary",
            "description",
            "causes",
            "city",
            "postcode",
            "departement",
            "size_band",
            "founded_year",
            "website",
            "verification_state",
            "created_at",
        ]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The filter's value: a code.")
    name = serializers.CharField(help_text="In the request's language.")
    count = serializers.IntegerField(help_text="Missions found with this value.")


class MissionFacetsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Missions found with the filters as they are.")
    cause = FacetValueSerializer(many=True)
    format = FacetValueSerializer(many=True)
    departement = FacetValueSerializer(
        many=True, help_text="Missions located there (remote ones pass every département)."
    )
    location_mode = FacetValueSerializer(many=True)


class MissionSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="code", queryset=Skill.objects.all())
    min_level = serializers.ChoiceField(choices=SkillLevel.choices, default=SkillLevel.PRACTITIONER)
    importance = serializers.ChoiceField(
        choices=MissionSkill.Importance.choices, default=MissionSkill.Importance.REQUIRED
    )

    class Meta:
        model = MissionSkill
        fields = ["skill", "min_level", "importance"]


class MissionSerializer(serializers.ModelSerializer):
    association: "serializers.SlugRelatedField[Association]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    association_name = serializers.CharField(source="association.name", read_only=True)
    cause: "serializers.SlugRelatedField[Cause]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    departement: "serializers.SlugRelatedField[Departement]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    skills = MissionSkillSerializer(many=True, read_only=True)
    free_seats = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id",
            "url",
            "association",
            "association_name",
            "title",
            "summary",
            "description",
            "deliverable",
            "cause",
            "format",
            "location_mode",
            "address",
            "city",
            "postcode",
            "departement",
            "start_date",
            "end_date",
            "application_deadline",
            "effort_hours",
            "hours_per_week",
            "seats",
            "free_seats",
            "languages",
            "preferred_seniority",
            "skills",
            "state",
            "state_reason",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def get_url(self, mission) -> str:
        request = self.context.get("request")
        path = mission.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class MissionWriteSerializer(serializers.ModelSerializer):
    association = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Association.objects.all(),
        required=False,
        help_text="Slug of the association; optional with an association's API key.",
    )
    cause = serializers.SlugRelatedField(slug_field="code", queryset=Cause.objects.all())
    skills = MissionSkillSerializer(many=True)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=5)

    class Meta:
        model = Mission
        fields = ["association", *MISSION_INPUT_FIELDS, "skills"]

    def validate_skills(self, value):
        if not value:
            raise serializers.ValidationError("Indiquez au moins une compétence.")
        return value


def skills_as_tuples(skills: list[dict]) -> list[tuple]:
    return [(row["skill"], row["min_level"], row["importance"]) for row in skills]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DeclineSerializer(MessageSerializer):
    reason = serializers.ChoiceField(choices=Application.DeclineReason.choices)


class WithdrawSerializer(MessageSerializer):
    reason = serializers.ChoiceField(choices=Application.WithdrawalReason.choices)


class ApproveSerializer(serializers.Serializer):
    planned_hours = serializers.IntegerField(min_value=1, max_value=2000)


class EmptySerializer(serializers.Serializer):
    pass


class ApplicationSerializer(serializers.ModelSerializer):
    mission_title = serializers.CharField(source="mission.title", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.user.full_name", read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    # Read-only fields lose the model's ``blank=True``: say so, the reasons are empty
    # until a decline or a withdrawal.
    decline_reason = serializers.ChoiceField(
        choices=Application.DeclineReason.choices,
        allow_blank=True,
        read_only=True,
        label=Application._meta.get_field("decline_reason").verbose_name,
    )
    withdrawal_reason = serializers.ChoiceField(
        choices=Application.WithdrawalReason.choices,
        allow_blank=True,
        read_only=True,
        label=Application._meta.get_field("withdrawal_reason").verbose_name,
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "mission",
            "mission_title",
            "volunteer",
            "volunteer_name",
            "origin",
            "message",
            "state",
            "allowed_transitions",
            "decline_reason",
            "withdrawal_reason",
            "state_message",
            "is_work_time",
            "approval_state",
            "planned_hours",
            "created_at",
            "decided_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, application) -> list[str]:
        return Application.states.allowed_from(application.state)


class ApplicationCreateSerializer(serializers.Serializer):
    mission = serializers.IntegerField(min_value=1, max_value=2**62)
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    is_work_time = serializers.BooleanField(default=False)


class HoursEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = HoursEntry
        fields = [
            "id",
            "application",
            "date",
            "hours",
            "description",
            "state",
            "rejection_reason",
            "created_at",
        ]
        read_only_fields = fields


class HoursCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**62)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "application",
            "side",
            "rating",
            "objectives",
            "skills_transferred",
            "autonomy_gained",
            "can_continue_alone",
            "comment",
            "created_at",
        ]
        read_only_fields = ["id", "side", "created_at"]
        extra_kwargs = {"application": {"queryset": Application.objects.none()}}


class EvaluationCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**62)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    objectives = serializers.ChoiceField(choices=Evaluation.Objectives.choices)
    skills_transferred = serializers.CharField(required=False, allow_blank=True, default="")
    autonomy_gained = serializers.CharField(required=False, allow_blank=True, default="")
    can_continue_alone = serializers.BooleanField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VolunteerSkillSerializer(serializers.Serializer):
    skill = serializers.CharField(source="skill.code")
    level = serializers.IntegerField()


class VolunteerSerializer(serializers.ModelSerializer):
    """A volunteer as a verified association sees them (``volunteers.exposure``): what
    matching weighs, and a first name with an initial; the full name once they applied
    to one of its missions."""

    name = serializers.SerializerMethodField()
    skills = VolunteerSkillSerializer(many=True, read_only=True)
    causes: "serializers.SlugRelatedField[Cause]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    departement: "serializers.SlugRelatedField[Departement]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    audience = exposure.Audience.ASSOCIATION

    class Meta:
        model = VolunteerProfile
        fields = ["id", "name", *exposure.MATCHING_FIELDS]

    def get_name(self, profile) -> str:
        """The name the reader may see: first name and initial, unless the volunteer
        applied to the reader's association (or it is their own profile)."""
        audience = self.audience
        if getattr(profile, "applied_to_reader", False):
            audience = exposure.Audience.APPLICANT_ASSOCIATION
        return exposure.name_for(profile.user, audience) or str(profile.pk)


class StaffVolunteerSerializer(VolunteerSerializer):
    """A volunteer as platform staff read them through the API: no e-mail address."""

    profile_url = serializers.CharField(read_only=True, help_text="An https URL, or empty.")

    employer: "serializers.SlugRelatedField[Company]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    audience = exposure.Audience.STAFF

    class Meta(VolunteerSerializer.Meta):
        fields = [
            *VolunteerSerializer.Meta.fields,
            *exposure.OWN_PROFILE_FIELDS,
            exposure.EMPLOYER_FIELD,
        ]


class OwnVolunteerSerializer(StaffVolunteerSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    audience = exposure.Audience.SELF

    class Meta(StaffVolunteerSerializer.Meta):
        fields = [*StaffVolunteerSerializer.Meta.fields, exposure.EMAIL, exposure.PHONE]


class VolunteerSkillWriteSerializer(serializers.Serializer):
    skill = serializers.SlugRelatedField(slug_field="code", queryset=Skill.objects.all())
    # A range rather than a second enum of the same levels as ``MissionSkill.min_level``.
    level = serializers.IntegerField(
        min_value=min(SkillLevel.values),
        max_value=max(SkillLevel.values),
        help_text="1 (notions) to 4 (expert).",
    )


class VolunteerProfileWriteSerializer(serializers.ModelSerializer):
    """Your own profile's editable fields; what a PATCH leaves out is kept."""

    skills = VolunteerSkillWriteSerializer(
        many=True, required=False, help_text="Replaces every skill: each with your level."
    )
    causes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Cause.objects.all(),
        many=True,
        required=False,
        help_text="Cause codes; replaces every cause.",
    )
    time_slots = serializers.ListField(
        child=serializers.ChoiceField(choices=TimeSlot.choices), required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=5)

    class Meta:
        model = VolunteerProfile
        fields = [*PROFILE_FIELDS, "city", "postcode", "skills", "causes"]

    def validate_skills(self, value):
        codes = [row["skill"].code for row in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Chaque compétence ne figure qu'une fois."))
        return value


class FactorShareSerializer(serializers.Serializer):
    factor = serializers.CharField(read_only=True, source="code")
    # A field named like Field.label, which the stubs see here.
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text="In the language of the request."
    )
    percent = serializers.IntegerField(read_only=True)


class _SuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        read_only=True, help_text="1 for the best; 0 for a volunteer proposed by the staff."
    )
    score = serializers.FloatField(read_only=True, help_text="Between 0 and 1.")
    factors = serializers.DictField(
        child=serializers.FloatField(),
        read_only=True,
        help_text="Each factor's value, between 0 and 1 (see the matching weights).",
    )
    explanation = serializers.CharField(
        read_only=True, help_text="The reasons, in the language of the request."
    )
    shares = FactorShareSerializer(
        many=True,
        read_only=True,
        help_text=(
            "The factors that count in the score, each with its share of it in percents "
            "(they add up to 100), as the pages show them; empty for a staff proposal."
        ),
    )
    # A field named like Field.source, which the stubs see here.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=SuggestionSource.choices, read_only=True
    )
    computed_at = serializers.DateTimeField(read_only=True)


class VolunteerSuggestionSerializer(_SuggestionSerializer):
    """A volunteer suggested for a mission, with the reasons."""

    note = serializers.CharField(read_only=True, help_text="The staff's note on a proposal.")
    volunteer = VolunteerSerializer(read_only=True)


class MissionSuggestionSerializer(_SuggestionSerializer):
    """A mission suggested to the volunteer, with the reasons."""

    mission = MissionSerializer(read_only=True)


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "siren",
            "yearly_allowance_hours",
            "work_time_requires_approval",
        ]


class EmployeeSerializer(serializers.ModelSerializer):
    company: "serializers.SlugRelatedField[Company]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    yearly_allowance_hours = serializers.SerializerMethodField()

    class Meta:
        model = CompanyMember
        fields = [
            "id",
            "company",
            "email",
            "first_name",
            "last_name",
            "role",
            "allowance_hours_override",
            "yearly_allowance_hours",
            "joined_at",
        ]

    def get_yearly_allowance_hours(self, member) -> int:
        return member.yearly_allowance_hours


class ProgrammeSerializer(serializers.ModelSerializer):
    company: "serializers.SlugRelatedField[Company]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    causes: "serializers.SlugRelatedField[Cause]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    departements: "serializers.SlugRelatedField[Departement]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "company",
            "name",
            "kind",
            "description",
            "starts_on",
            "ends_on",
            "hours_budget",
            "causes",
            "departements",
        ]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False
    )
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "organisation", "created_at"]
        read_only_fields = ["id", "is_active", "organisation", "created_at"]

    def get_organisation(self, endpoint) -> str:
        return endpoint.organisation.slug


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret: shown in this response only."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "payload",
            "state",
            "attempts",
            "response_status",
            "response_body",
            "error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["name", "scope", "created_at", "last_used_at"]


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8, `,` or `;`) or XLSX, header on row 1.")
    association = serializers.SlugField(
        required=False, help_text="For missions: the association's slug (optional with its key)."
    )
    company = serializers.SlugField(
        required=False, help_text="For employees: the company's slug (optional with its key)."
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Line number in the file (header = 1).")
    # A field named like Serializer.errors, which the stubs see here.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class ImportRejectedSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    # A field named like Serializer.errors, which the stubs see here.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )
    rows = RowErrorSerializer(many=True, required=False)


class ReportQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="Default: start of the allowance year.")
    end = serializers.DateField(required=False, help_text="Default: end of the allowance year.")
    programme = serializers.IntegerField(required=False, min_value=1, max_value=2**62)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > 366 * 5):
            raise serializers.ValidationError(
                {"end": "Choisissez une période de cinq ans au plus, après le début."}
            )
        return data


class BreakdownSerializer(serializers.Serializer):
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    validated = serializers.DecimalField(max_digits=14, decimal_places=2)


class TaxEstimateSerializer(serializers.Serializer):
    base = serializers.DecimalField(max_digits=16, decimal_places=2)
    reduction_before_ceiling = serializers.DecimalField(max_digits=16, decimal_places=2)
    ceiling = serializers.DecimalField(max_digits=16, decimal_places=2)
    ceiling_from_turnover = serializers.BooleanField()
    reduction = serializers.DecimalField(max_digits=16, decimal_places=2)
    carried_forward = serializers.DecimalField(max_digits=16, decimal_places=2)
    hourly_cap = serializers.DecimalField(max_digits=16, decimal_places=2)


def _breakdown(pairs) -> list[dict]:
    return [{"name": str(name), "hours": hours} for name, hours in pairs]


class ImpactReportSerializer(serializers.Serializer):
    """The company's impact report, as on its reports page (``companies.reports``)."""

    start = serializers.DateField(source="scope.start")
    end = serializers.DateField(source="scope.end")
    programme = serializers.IntegerField(source="scope.programme_id", allow_null=True)
    hours_planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    hours_validated = serializers.DecimalField(max_digits=14, decimal_places=2)
    by_month = MonthSerializer(many=True)
    by_cause = serializers.SerializerMethodField()
    by_skill_family = serializers.SerializerMethodField()
    by_association = serializers.SerializerMethodField()
    by_departement = serializers.SerializerMethodField()
    employees = serializers.IntegerField()
    employees_engaged = serializers.IntegerField()
    participation_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    associations_helped = serializers.IntegerField()
    missions_completed = serializers.IntegerField()
    evaluations = serializers.IntegerField()
    average_rating = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    objectives_met_share = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    skill_transfer_share = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    work_time_hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    valuation = serializers.DecimalField(max_digits=16, decimal_places=2)
    tax = TaxEstimateSerializer()

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_by_cause(self, report):
        return BreakdownSerializer(_breakdown(report.by_cause), many=True).data

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_by_skill_family(self, report):
        return BreakdownSerializer(_breakdown(report.by_skill_family), many=True).data

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_by_association(self, report):
        return BreakdownSerializer(_breakdown(report.by_association), many=True).data

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_by_departement(self, report):
        return BreakdownSerializer(_breakdown(report.by_departement), many=True).data
