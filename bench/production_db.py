"""PostgreSQL's settings of production (the ``db`` service's command in
docker-compose.yml), set on a benchmark's database so that it plans as production does."""

from django.db import connection

SETTINGS = {"random_page_cost": "1.1"}


def plan_as_in_production() -> None:
    """Set them on the database (for every new session: gunicorn's, the workers') and
    on this session, and say so."""
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        for setting, value in SETTINGS.items():
            cursor.execute(f"ALTER DATABASE {name} SET {setting} = {value}")
            cursor.execute(f"SET {setting} = {value}")
    shown = ", ".join(f"{setting} = {value}" for setting, value in SETTINGS.items())
    print(f"PostgreSQL set as in production (docker-compose.yml): {shown}", flush=True)
