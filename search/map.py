"""The search page's map: open missions per département, on the tile map of
:mod:`taxonomy.cartogram`, each tile a link that filters the search by its département.

The counts follow the other filters of the search (skills, cause, dates...), never the
place ones (the map is how a place is chosen), and only missions done on site or in
hybrid mode have a département: remote missions, open to everyone, are added to every
département's results by the search itself.
"""

import math
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.models import Mission
from taxonomy.cartogram import layout
from taxonomy.choices import LocationMode
from taxonomy.models import Departement

from .forms import MissionSearchForm
from .selectors import MissionSearch

VIEW_PARAM = "vue"
MAP_VIEW = "carte"
# Filters the map replaces: a département is chosen on it, and a page number means
# nothing once the search changes.
PLACE_PARAMS = (
    "departement",
    "region",
    "near",
    "within_km",
    "city",
    "radius",
    "remote_only",
    "page",
    VIEW_PARAM,
)
TILE = 48  # SVG units a side
GAP = 4
LEVELS = 4


@dataclass(frozen=True)
class MapTile:
    code: str
    name: str
    count: int
    level: int
    x: int
    y: int
    url: str
    label: str
    selected: bool
    overseas: bool

    @property
    def middle(self) -> int:
        return self.x + TILE // 2


def _query(query: QueryDict, form: MissionSearchForm, **changes: str) -> str:
    params = QueryDict(mutable=True)
    for key, values in form.params().items():
        if key not in PLACE_PARAMS:
            params.setlist(key, values)
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


def view_urls(query: QueryDict, form: MissionSearchForm) -> dict[str, Any]:
    """The list/map switch: which view is asked for and the address of each (the search
    kept, place filters included)."""
    shown = query.get(VIEW_PARAM) == MAP_VIEW
    kept = QueryDict(mutable=True)
    for key, values in form.params().items():
        kept.setlist(key, values)
    list_url = "?" + kept.urlencode()
    kept[VIEW_PARAM] = MAP_VIEW
    return {"shown": shown, "list_url": list_url, "map_url": "?" + kept.urlencode()}


def open_missions_by_departement(form: MissionSearchForm) -> dict[str, int]:
    """How many missions of the search (its place filters left out) each département has."""
    criteria = replace(
        form.criteria(), departement_ids=(), region_ids=(), location=None, remote_only=False
    )
    found = MissionSearch(criteria).missions().exclude(location_mode=LocationMode.REMOTE)
    rows = (
        Mission.objects.filter(pk__in=found.values("pk"), departement__isnull=False)
        .order_by()
        .values_list("departement__code")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def _level(count: int, highest: int) -> int:
    if count <= 0 or highest <= 0:
        return 0
    return max(1, math.ceil(LEVELS * count / highest))


def _legend(highest: int) -> list[dict[str, Any]]:
    legend = [{"level": 0, "label": _("Aucune mission")}]
    previous = 0
    for level in range(1, LEVELS + 1):
        top = math.floor(level * highest / LEVELS)
        if top <= previous:
            continue
        low = previous + 1
        label = (
            ngettext("%(low)s mission", "%(low)s missions", low) % {"low": low}
            if low == top
            else _("De %(low)s à %(high)s missions") % {"low": low, "high": top}
        )
        legend.append({"level": _level(top, highest), "label": label})
        previous = top
    return legend


def departement_map(query: QueryDict, form: MissionSearchForm) -> dict[str, Any]:
    """Everything the map template draws. Two queries: the départements, the counts."""
    counts = open_missions_by_departement(form) if form.is_valid() else {}
    highest = max(counts.values(), default=0)
    selected = form.cleaned_data.get("departement") if form.is_valid() else None
    pks = dict(Departement.objects.values_list("code", "pk"))
    tiles_layout, columns, rows = layout()
    tiles = []
    for tile in tiles_layout:
        if tile.code not in pks:
            continue
        count = counts.get(tile.code, 0)
        tiles.append(
            MapTile(
                code=tile.code,
                name=tile.name,
                count=count,
                level=_level(count, highest),
                x=tile.column * (TILE + GAP),
                y=tile.row * (TILE + GAP),
                url=_query(query, form, departement=tile.code),
                # The visible text (the code, then the count) starts the name, so that
                # voice control users can say what they see.
                label=ngettext(
                    "%(code)s : %(count)s mission sur place ou hybride, %(name)s",
                    "%(code)s : %(count)s missions sur place ou hybrides, %(name)s",
                    count,
                )
                % {"name": tile.name, "code": tile.code, "count": count},
                selected=selected is not None and selected.code == tile.code,
                overseas=tile.overseas,
            )
        )
    overseas_y = min((t.y for t in tiles if t.overseas), default=0)
    return {
        "tiles": tiles,
        "width": columns * (TILE + GAP) - GAP,
        "height": rows * (TILE + GAP) - GAP,
        "tile": TILE,
        "overseas_label_y": overseas_y - 10,
        "legend": _legend(highest),
        "total": sum(counts.values()),
    }
