"""Candidate generation: which (volunteer, mission) pairs are worth scoring at all.

A pair can only be suggested if the volunteer has one of the mission's required skills,
directly or through a related one, and accepts its location mode (see the package docstring):
the candidates of a chunk of owners are the non-zeros of a sparse product of two
(rows × keys) matrices built once per index, a key being a (context, skill) pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .arrays import _ranks

if TYPE_CHECKING:
    from .index import MatchingIndex
    from .prepare import _MissionSide, _VolunteerSide

#: Candidate contexts: a pair is generated only when the volunteer and the mission share a
#: skill (directly or through a related one) *in a context*: the mission's location mode
#: if the volunteer accepts it, and for located on-site missions a 0.5° grid cell within
#: the volunteer's reach (a conservative bounding box of their maximum distance).
_CTX_REMOTE, _CTX_HYBRID, _CTX_ON_SITE_ANY, _CTX_EVERYWHERE = 0, 1, 2, 3
_N_FIXED_CTX = 4
_CELL_DEG = 0.5
_CELL_MAX_KM = 250.0  # beyond, a volunteer is matched with on-site missions anywhere
# km per degree of latitude (π × EARTH_RADIUS_KM / 180 = 111.195), rounded down: with the
# 2 % margin of the boxes, a box never misses a cell within reach.
_KM_PER_DEG = 111.19


def _cell_key(lat_i: np.ndarray, lon_i: np.ndarray) -> np.ndarray:
    return (lat_i.astype(np.int64) + 1000) * 10_000 + (lon_i.astype(np.int64) + 1000)


def _find_cells(cells: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, position in ``cells``) of each key; ``cells`` distinct, in any order."""
    if not len(cells):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(cells, kind="stable")
    at = np.minimum(np.searchsorted(cells[order], keys), len(cells) - 1)
    pos = order[at]
    return cells[pos] == keys, pos


#: Candidate keys: (volunteers × keys, missions × keys) bool CSR matrices, key = context ×
#: (n_skills + 1) + skill. A mission's keys are its required skills; column ``n_skills``
#: of the skill part is "any": every visible volunteer has it, and so do missions
#: requiring no skill (open to everyone). The product
#: of the two matrices holds exactly the pairs that pass the skill-overlap and format
#: filters, and every on-site pair within distance (plus some beyond it, filtered when
#: scored). Contexts ``_N_FIXED_CTX + i`` are the grid cells ``MatchingIndex.cells[i]``:
#: those of the located on-site missions (:func:`build_index`; after
#: :meth:`MatchingIndex.with_missions`, possibly some more no mission uses).


def _volunteer_candidates(
    vside: _VolunteerSide,
    cells: np.ndarray,
    n_ctx: int,
    n_skills: int,
    *,
    fixed: bool = True,
) -> sparse.csr_matrix:
    """(volunteers × keys) over ``n_ctx`` contexts: the fixed ones and ``cells[i]`` as
    context ``_N_FIXED_CTX + i``; with ``fixed=False``, only the cells, as contexts
    ``0..`` (the extra keys :meth:`MatchingIndex.with_missions` appends)."""
    n_v = vside.keys.shape[0]
    first = _N_FIXED_CTX if fixed else 0
    rows, ctxs = ([vside.ctx_rows], [vside.ctx_ids]) if fixed else ([], [])
    if len(cells):
        count_g = vside.grid_count
        rank = _ranks(count_g)
        src = np.repeat(np.arange(len(count_g)), count_g)
        n_lon_g = vside.grid_n_lon[src]
        key = _cell_key(
            vside.grid_lat0[src] + rank // n_lon_g, vside.grid_lon0[src] + rank % n_lon_g
        )
        hit, at = _find_cells(cells, key)
        rows.append(vside.grid_rows[src[hit]])
        ctxs.append(first + at[hit])
    if not rows:
        rows, ctxs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    v_ctx = _csr_from_pairs(np.concatenate(rows), np.concatenate(ctxs), n_v, n_ctx)
    return _row_product(vside.keys, v_ctx, n_skills + 1)


def _mission_candidates(mside: _MissionSide, cells: np.ndarray, n_skills: int) -> sparse.csr_matrix:
    """(missions × keys); every mission cell must be in ``cells`` (any order)."""
    n_m = mside.keys.shape[0]
    found, at = _find_cells(cells, mside.cell_keys)
    if not found.all():
        raise ValueError("a mission's grid cell is missing from the key space")
    m_ctx = _csr_from_pairs(
        np.concatenate([mside.ctx_rows, mside.cell_rows]),
        np.concatenate([mside.ctx_ids, _N_FIXED_CTX + at]),
        n_m,
        _N_FIXED_CTX + len(cells),
    )
    return _row_product(mside.keys, m_ctx, n_skills + 1)


def _csr_from_pairs(
    rows: npt.ArrayLike, cols: npt.ArrayLike, n_rows: int, n_cols: int
) -> sparse.csr_matrix:
    rows = np.asarray(rows, dtype=np.int64)
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=bool), (rows, np.asarray(cols, dtype=np.int64))),
        shape=(n_rows, n_cols),
    )


# Rows of a product made at a time: at a million volunteers the product has about a
# hundred million entries, whose int64 intermediates would need several GB at once.
_ROWS_AT_ONCE = 50_000


def _row_product(a: sparse.csr_matrix, b: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    """Row-wise Cartesian product: entry (i, c * width + s) for s in a[i], c in b[i]."""
    a.eliminate_zeros()
    b.eliminate_zeros()
    n = a.shape[0]
    a_len, b_len = np.diff(a.indptr), np.diff(b.indptr)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(a_len * b_len, out=indptr[1:])
    n_cols = b.shape[1] * width
    nnz = int(indptr[-1])
    index_dtype = np.int32 if n_cols < 2**31 and nnz < 2**31 else np.int64
    indices: npt.NDArray[np.integer] = np.empty(nnz, dtype=index_dtype)
    for start in range(0, n, _ROWS_AT_ONCE):
        stop = min(start + _ROWS_AT_ONCE, n)
        a_rows = np.repeat(np.arange(start, stop), a_len[start:stop])
        rep = b_len[a_rows]
        skill = np.repeat(a.indices[a.indptr[start] : a.indptr[stop]].astype(np.int64), rep)
        ctx = b.indices[np.repeat(b.indptr[:-1][a_rows], rep) + _ranks(rep)].astype(np.int64)
        indices[indptr[start] : indptr[stop]] = ctx * width + skill
    return sparse.csr_matrix(
        (np.ones(nnz, dtype=bool), indices, indptr.astype(index_dtype)), shape=(n, n_cols)
    )


# ------------------------------------------------------------------------------------
# Candidate pairs of a chunk of owners
# ------------------------------------------------------------------------------------


def _candidate_pairs(
    ix: MatchingIndex, owners: np.ndarray, direction: str, max_pairs: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """Yield (segment, v, m, n_candidates) for batches of owners' candidate pairs.

    ``segment`` is the position of the owner in ``owners`` (nondecreasing). The pairs
    share a skill (or related skill) and a context with their owner; the distance and
    programme filters remain to apply (``trusted`` scoring), and the exclusions.
    """
    if direction == "missions":
        rows, cols_t = ix.cand_mis, ix.cand_vol_t
    else:
        rows, cols_t = ix.cand_vol, ix.cand_mis_t
    n_cols = cols_t.shape[1]
    # Split owners so that each sparse product stays within max_pairs (estimated from
    # the posting lists: the product's size is at most the sum of their lengths).
    posting = np.diff(cols_t.indptr)
    sub = rows[owners]
    if not sub.nnz:
        return
    cum = np.concatenate([[0], np.cumsum(posting[sub.indices])])
    est = np.minimum(cum[sub.indptr[1:]] - cum[sub.indptr[:-1]], n_cols)
    bounds = _batch_bounds(est, max_pairs)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        cand = sub[a:b] @ cols_t  # (b - a, n_cols) bool: the candidates
        if not cand.nnz:
            continue
        n_cand = cand.nnz
        seg = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(cand.indptr))
        col = cand.indices.astype(np.int64)
        del cand
        owner = owners[seg]
        v, m = (col, owner) if direction == "missions" else (owner, col)
        yield seg, v, m, n_cand


def _batch_bounds(est: np.ndarray, max_pairs: int) -> list[int]:
    bounds = [0]
    csum = np.cumsum(est)
    n = len(est)
    while bounds[-1] < n:
        start = bounds[-1]
        base = csum[start - 1] if start else 0
        end = int(np.searchsorted(csum, base + max_pairs, side="right"))
        end = max(end, start + 1)
        bounds.append(min(end, n))
    return bounds
