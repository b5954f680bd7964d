"""Load the reference data of ``reference_data`` into the database, idempotently."""

from . import reference_data as data


def sync_reference_data(apps=None) -> None:
    """Create or update every family, skill, cause, région and département.

    ``apps`` is the migration state registry when called from a migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    SkillFamily = apps.get_model("taxonomy", "SkillFamily")
    Skill = apps.get_model("taxonomy", "Skill")
    Cause = apps.get_model("taxonomy", "Cause")
    Region = apps.get_model("taxonomy", "Region")
    Departement = apps.get_model("taxonomy", "Departement")

    families = {}
    for code, name_fr, name_en in data.SKILL_FAMILIES:
        families[code], _ = SkillFamily.objects.update_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en}
        )
    skills = {}
    for code, family, name_fr, name_en in data.SKILLS:
        skills[code], _ = Skill.objects.update_or_create(
            code=code,
            defaults={"family": families[family], "name_fr": name_fr, "name_en": name_en},
        )
    if any(field.name == "synonyms" for field in Skill._meta.get_fields()):
        # Absent from the models of the migration that first loaded this data.
        sync_skill_synonyms(apps)
    for code_a, code_b in data.RELATED_SKILLS:
        skills[code_a].related.add(skills[code_b])
        skills[code_b].related.add(skills[code_a])
    for code, name_fr, name_en, sdgs in data.CAUSES:
        Cause.objects.update_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en, "sdgs": list(sdgs)}
        )
    regions = {}
    for code, name in data.REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, region, latitude, longitude in data.DEPARTEMENTS:
        Departement.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "region": regions[region],
                "latitude": latitude,
                "longitude": longitude,
            },
        )


def sync_skill_synonyms(apps=None) -> None:
    """Give each skill the synonyms of ``reference_data`` while it has none: staff's
    edits in the admin are never overwritten."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Skill = apps.get_model("taxonomy", "Skill")
    for code, synonyms in data.SKILL_SYNONYMS.items():
        Skill.objects.filter(code=code, synonyms="").update(synonyms=", ".join(synonyms))
