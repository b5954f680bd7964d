from django.db import migrations, models

INDEX = "matching_suggestionlist_others_gin"


def create_members_index(apps, schema_editor):
    """On PostgreSQL, the lists holding a given mission (volunteer) are found through a
    GIN index of ``others``; elsewhere (development databases) they are scanned."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON matching_suggestionlist"
            " USING gin (others jsonb_path_ops)"
        )


def drop_members_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_suggestion_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestionlist",
            name="floor",
            field=models.FloatField(default=0.0, verbose_name="score le plus bas"),
        ),
        migrations.AddField(
            model_name="suggestionlist",
            name="others",
            field=models.JSONField(default=list, verbose_name="suggérés"),
        ),
        migrations.RunPython(create_members_index, drop_members_index),
    ]
