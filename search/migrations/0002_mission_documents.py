import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models


def create_text_search_config(apps, schema_editor):
    from search.documents import CREATE_TEXT_SEARCH_CONFIG

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TEXT_SEARCH_CONFIG)


def drop_text_search_config(apps, schema_editor):
    from search.documents import DROP_TEXT_SEARCH_CONFIG

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TEXT_SEARCH_CONFIG)


def create_indexes(apps, schema_editor):
    # Only the indexes: the triggers are the current code's, which write columns added
    # by later migrations. 0004 installs them and fills the documents (on the databases
    # made before it, this migration had done both already).
    from search import documents

    documents.create_indexes(schema_editor.connection)


def uninstall(apps, schema_editor):
    from search import documents

    documents.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0002_logo_checked_and_reencoded"),
        ("missions", "0004_application_suggestion_factors"),
        ("search", "0001_saved_searches"),
        ("taxonomy", "0003_skill_synonyms"),
    ]

    operations = [
        # Both are trusted extensions: the database's owner may create them.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_text_search_config, drop_text_search_config),
        migrations.CreateModel(
            name='MissionDocument',
            fields=[
                ('mission', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='missions.mission', verbose_name='mission')),
                ('state', models.CharField(max_length=16, verbose_name='état')),
                ('application_deadline', models.DateField(null=True, verbose_name='date limite de candidature')),
                ('published_at', models.DateTimeField(null=True, verbose_name='publiée le')),
                ('created_at', models.DateTimeField(null=True, verbose_name='créée le')),
                ('cause_id', models.BigIntegerField(verbose_name='cause')),
                ('departement_id', models.BigIntegerField(null=True, verbose_name='département')),
                ('format', models.CharField(max_length=16, verbose_name='format')),
                ('location_mode', models.CharField(max_length=16, verbose_name='lieu')),
                ('latitude', models.FloatField(null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(null=True, verbose_name='longitude')),
                ('start_date', models.DateField(null=True, verbose_name='début')),
                ('end_date', models.DateField(null=True, verbose_name='fin')),
                ('hours_per_week', models.DecimalField(decimal_places=1, max_digits=4, null=True, verbose_name='heures par semaine')),
                ('title', models.TextField(blank=True, verbose_name='titre replié')),
                ('keywords', models.TextField(blank=True, verbose_name='compétences repliées')),
                ('stems', models.TextField(blank=True, verbose_name='racines (SQLite)')),
                ('document', django.contrib.postgres.search.SearchVectorField(null=True, verbose_name='document (PostgreSQL)')),
            ],
            options={
                'verbose_name': 'document de recherche',
                'verbose_name_plural': 'documents de recherche',
                'indexes': [models.Index(fields=['state', 'application_deadline'], include=('mission_id', 'cause_id', 'format', 'departement_id', 'location_mode', 'latitude', 'longitude', 'published_at'), name='search_doc_open'), models.Index(fields=['latitude', 'longitude'], name='search_doc_latitude_longitude'), models.Index(fields=['state', '-published_at'], name='search_doc_newest')],
            },
        ),
        migrations.RunPython(create_indexes, uninstall),
    ]
