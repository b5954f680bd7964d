"""The search documents hold their mission's association: what an association's members
may reach (its drafts included) is then said on the documents alone."""

from django.db import migrations, models


def install_and_fill(apps, schema_editor):
    from search import documents

    documents.install(schema_editor.connection)
    documents.rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):
    # Back before this column, the triggers would write it: the documents stop following.
    from search import documents

    documents.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_saved_search_current_names")]

    operations = [
        migrations.AddField(
            model_name="missiondocument",
            name="association_id",
            field=models.BigIntegerField(default=0, verbose_name="association"),
            preserve_default=False,
        ),
        # The triggers write the new column from now on; every document gets it now.
        migrations.RunPython(install_and_fill, uninstall),
    ]
