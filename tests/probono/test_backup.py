"""The backup of docker-compose.yml, restored once: scripts/backup.sh dumps the database
and archives the uploads, scripts/restore.sh brings both back into a fresh database."""

import io
import os
import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from associations.models import Association
from tests import factories
from tests.conftest import require_service

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPTS = settings.BASE_DIR / "scripts"


@pytest.fixture
def pg_tools(postgresql):
    for tool in ("pg_dump", "pg_restore", "psql"):
        require_service(shutil.which(tool) is not None, f"{tool} (PostgreSQL client)")


def database_url(name: str) -> str:
    """The URL of database ``name`` on the server the tests use."""
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name))


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPTS / script), *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 30, 60, 128)).save(out, "PNG")
    return out.getvalue()


def test_a_backup_restores_into_a_fresh_database_with_its_uploads(
    pg_tools, fresh_database, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    association = factories.AssociationFactory(name="Les Amis du Rhône")
    association.logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    association.save()
    factories.VolunteerFactory.create_batch(3)
    logo_bytes = (settings.MEDIA_ROOT / association.logo.name).read_bytes()
    test_database = database_url(connection.settings_dict["NAME"])

    backups = tmp_path / "backups"
    made = run(
        "backup.sh",
        DATABASE_URL=test_database,
        MEDIA_DIR=str(settings.MEDIA_ROOT),
        BACKUP_DIR=str(backups),
    )
    assert made.returncode == 0, made.stderr
    [dump] = backups.glob("probono-*.dump")
    [media] = backups.glob("media-*.tar.gz")
    assert not list(backups.glob("*.partial"))

    restored_media = tmp_path / "restored-media"
    restored = run(
        "restore.sh",
        str(dump),
        str(media),
        DATABASE_URL=fresh_database,
        MEDIA_DIR=str(restored_media),
    )
    assert restored.returncode == 0, restored.stderr

    def rows(url: str, query: str) -> list[tuple]:
        with psycopg.connect(url) as db:
            return db.execute(query).fetchall()

    for query in (
        "select name, logo from associations_association order by id",
        "select email from accounts_user order by id",
        "select app, name from django_migrations order by id",
        "select name, domain from django_site",
    ):
        assert rows(fresh_database, query) == rows(test_database, query), query
    assert rows(fresh_database, "select count(*) from accounts_user") == [(3,)]
    assert (restored_media / association.logo.name).read_bytes() == logo_bytes
    assert Association.objects.get().logo.name.startswith("associations/logos/")

    # A second restore would write over data: it is refused, and the data stays.
    again = run("restore.sh", str(dump), DATABASE_URL=fresh_database)
    assert again.returncode == 1
    assert "restore into an empty one" in again.stderr
    assert rows(fresh_database, "select count(*) from associations_association") == [(1,)]
