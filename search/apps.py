from django.apps import AppConfig
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reinstall_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table: put the
    search documents' triggers back after every migrate (see search.documents)."""
    from . import documents

    connection = connections[using]
    if documents.DOCUMENT_TABLE in connection.introspection.table_names():
        with transaction.atomic(using=using):
            documents.install(connection)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche de missions")

    def ready(self):
        from accounts.personal_data import register_personal_data

        from . import listeners  # noqa: F401
        from .documents import register_sqlite_functions
        from .personal_data import PROVIDER

        register_personal_data(PROVIDER)
        connection_created.connect(register_sqlite_functions, dispatch_uid="search_sqlite")
        post_migrate.connect(_reinstall_triggers, sender=self, dispatch_uid="search_triggers")
