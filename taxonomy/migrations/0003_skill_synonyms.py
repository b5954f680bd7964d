from django.db import migrations, models


def seed_synonyms(apps, schema_editor):
    from taxonomy.sync import sync_skill_synonyms

    sync_skill_synonyms(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="skill",
            name="synonyms",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Mots ou expressions que l'on tape pour cette compétence (abréviations, "
                    "métiers, jargon), séparés par des virgules : « compta, comptable, "
                    "expert-comptable ». La recherche de missions les comprend."
                ),
                verbose_name="synonymes",
            ),
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
