"""What the search app holds of a person: their saved searches (see
:mod:`accounts.personal_data`), dropped when they leave."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Erasure, PersonalDataProvider, Section, section

from .models import SavedSearch


def export(user) -> list[Section]:
    return [
        section(
            "saved_searches",
            _("Recherches enregistrées"),
            SavedSearch.objects.filter(user=user),
            {"name": _("nom"), "params": _("critères"), "created_at": _("créée le")},
        )
    ]


def erase(erasure: Erasure) -> None:
    SavedSearch.objects.filter(user=erasure.user).delete()


PROVIDER = PersonalDataProvider(app="search", export=export, erase=erase)
