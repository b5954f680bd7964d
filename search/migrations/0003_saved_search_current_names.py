"""Saved searches under the parameters the search page and the API now share: the
page's former names (``city``, ``radius``, ``skills``, ``formats``, ``location_modes``)
and its ids of skills, causes and départements become the API's names and codes."""

from django.db import migrations

RENAMED = {
    "city": "near",
    "radius": "within_km",
    "skills": "skill",
    "formats": "format",
    "location_modes": "location_mode",
}
CODED = {"skill": "Skill", "cause": "Cause", "departement": "Departement"}


def _codes(apps):
    return {
        name: {str(pk): code for pk, code in apps.get_model("taxonomy", model).objects.values_list("pk", "code")}
        for name, model in CODED.items()
    }


def forwards(apps, schema_editor):
    SavedSearch = apps.get_model("search", "SavedSearch")
    codes = _codes(apps)
    for saved in SavedSearch.objects.all():
        params = {}
        for key, values in saved.params.items():
            name = RENAMED.get(key, key)
            if name in CODED:
                values = [codes[name].get(str(value), str(value)) for value in values]
            params[name] = [*params.get(name, []), *values]
        if params != saved.params:
            saved.params = params
            saved.save(update_fields=["params"])


def backwards(apps, schema_editor):
    SavedSearch = apps.get_model("search", "SavedSearch")
    ids = {name: {code: pk for pk, code in table.items()} for name, table in _codes(apps).items()}
    former = {name: key for key, name in RENAMED.items()}
    for saved in SavedSearch.objects.all():
        params = {}
        for name, values in saved.params.items():
            if name in CODED:
                values = [ids[name].get(str(value), str(value)) for value in values]
            params[former.get(name, name)] = values
        saved.params = params
        saved.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_mission_documents"),
        ("taxonomy", "0003_skill_synonyms"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
