"""A tile map of France: one square per département, laid out from the centres in the
reference data (no outline of any département is shipped with the project, and none
is fetched from elsewhere).

Metropolitan centres are projected (longitude scaled by the cosine of France's middle
latitude), then each département is given a cell of a square grid so that the total of
the squared distances between centres and cells is the smallest possible (an optimal
assignment, ``scipy.optimize.linear_sum_assignment``): neighbours stay neighbours and the
outline of the country stays recognisable. The overseas départements, thousands of
kilometres away, form a row of their own under the map.

Pure and computed once: no database, no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment

from .reference_data import DEPARTEMENTS

# Grid step in projected degrees: about 60 km, which gives France 12 × 12 cells.
CELL_DEGREES = 0.8
MIDDLE_LATITUDE = 46.5
OVERSEAS_PREFIX = "97"


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    column: int
    row: int
    overseas: bool


@lru_cache(maxsize=1)
def layout() -> tuple[tuple[Tile, ...], int, int]:
    """Every département's tile, and the grid's width and height in cells (the overseas
    row included, after an empty row)."""
    metropolitan = [d for d in DEPARTEMENTS if not d[0].startswith(OVERSEAS_PREFIX)]
    overseas = [d for d in DEPARTEMENTS if d[0].startswith(OVERSEAS_PREFIX)]
    scale = math.cos(math.radians(MIDDLE_LATITUDE))
    points = np.array([(lon * scale, -lat) for _code, _name, _region, lat, lon in metropolitan])
    points = (points - points.min(axis=0)) / CELL_DEGREES
    columns = int(math.ceil(points[:, 0].max())) + 1
    rows = int(math.ceil(points[:, 1].max())) + 1
    cells = np.array([(x, y) for y in range(rows) for x in range(columns)], dtype=float)
    cost = ((points[:, None, :] - cells[None, :, :]) ** 2).sum(axis=2)
    chosen_rows, chosen_cells = linear_sum_assignment(cost)
    placed = {
        int(index): (int(cells[cell][0]), int(cells[cell][1]))
        for index, cell in zip(chosen_rows, chosen_cells, strict=True)
    }
    # Drop the grid's empty borders.
    left = min(x for x, _y in placed.values())
    top = min(y for _x, y in placed.values())
    width = max(x for x, _y in placed.values()) - left + 1
    height = max(y for _x, y in placed.values()) - top + 1
    tiles = [
        Tile(code, name, placed[index][0] - left, placed[index][1] - top, False)
        for index, (code, name, _region, _lat, _lon) in enumerate(metropolitan)
    ]
    overseas_row = height + 1
    tiles += [
        Tile(code, name, column, overseas_row, True)
        for column, (code, name, _region, _lat, _lon) in enumerate(overseas)
    ]
    tiles.sort(key=lambda tile: tile.code)
    return tuple(tiles), max(width, len(overseas)), overseas_row + 1
