"""Rebuild every mission's search document and put the triggers back."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from search import documents


class Command(BaseCommand):
    help = (
        "Rebuild the stored search document of every mission (the database's triggers keep "
        "them right afterwards): after restoring a dump made without the triggers, or "
        "after changing what a document holds."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            documents.install(connection)
            documents.rebuild(connection)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Search documents rebuilt."))
