"""Top-k selection: each owner's (mission's, or volunteer's) best k allowed matches,
for a chunk of owners (the nightly recompute) or a single one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from .arrays import N_FACTORS, _ranks
from .candidates import _candidate_pairs
from .index import MatchingIndex, _is_excluded
from .scoring import _BLOCK, _score_block


def chunks(indices: int | Sequence[int] | np.ndarray, n_chunks: int) -> list[np.ndarray]:
    """Split ``range(indices)`` (or an index array) into ``n_chunks`` contiguous parts.

    For a Celery chord: one task per part, each calling :func:`recompute_missions` or
    :func:`recompute_volunteers`; parts are independent and can run in any order.
    """
    arr = np.arange(indices) if isinstance(indices, int) else np.asarray(indices, np.int64)
    n_chunks = max(1, min(int(n_chunks), max(len(arr), 1)))
    return list(np.array_split(arr, n_chunks))


@dataclass(eq=False)
class TopK:
    """Top-k results for a list of owners (missions, or volunteers), in CSR layout.

    Row ``i`` is ``owners[i]``; its matches are ``items[indptr[i]:indptr[i+1]]`` (volunteer
    indices for missions, mission indices for volunteers), best first (ties: tie_key),
    with their ``scores`` and ``factors`` (rows in FACTORS order). ``candidates`` counts the
    pairs generated, ``allowed`` those that passed the hard filters (exclusions are only
    looked up in the short lists, so ``allowed`` may count a few excluded pairs).
    """

    owners: np.ndarray  # int64
    indptr: np.ndarray  # int64 (len(owners) + 1,)
    items: np.ndarray  # int64
    scores: np.ndarray  # float32
    factors: np.ndarray  # (nnz, F) float32
    candidates: int = 0
    allowed: int = 0

    def __len__(self) -> int:
        return len(self.owners)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.items[a:b], self.scores[a:b], self.factors[a:b]

    def __iter__(self) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        for i, owner in enumerate(self.owners):
            yield (int(owner), *self.row(i))

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(owner, item) index arrays of every row (for bulk writes)."""
        return np.repeat(self.owners, np.diff(self.indptr)), self.items

    def ranks(self) -> np.ndarray:
        """1-based rank of each item in its row."""
        return _ranks(np.diff(self.indptr)) + 1


def top_volunteers(ix: MatchingIndex, mission: int, k: int = 50) -> TopK:
    """The best ``k`` allowed volunteers for one mission (all volunteers considered)."""
    return recompute_missions(ix, [mission], k)


def top_missions(ix: MatchingIndex, volunteer: int, k: int = 50) -> TopK:
    """The best ``k`` allowed missions for one volunteer (all open missions considered)."""
    return recompute_volunteers(ix, [volunteer], k)


def recompute_missions(
    ix: MatchingIndex,
    missions: Sequence[int] | np.ndarray,
    k: int = 50,
    *,
    max_pairs: int = 4_000_000,
) -> TopK:
    """Top-k volunteers of each mission in ``missions`` (a chunk of mission indices).

    Memory is bounded by ``max_pairs`` candidate pairs in flight (≈ 40 bytes each).
    """
    return _recompute(ix, missions, "missions", k, max_pairs)


def recompute_volunteers(
    ix: MatchingIndex,
    volunteers: Sequence[int] | np.ndarray,
    k: int = 50,
    *,
    max_pairs: int = 4_000_000,
) -> TopK:
    """Top-k missions of each volunteer in ``volunteers`` (a chunk of volunteer indices)."""
    return _recompute(ix, volunteers, "volunteers", k, max_pairs)


def _recompute(
    ix: MatchingIndex,
    owners: Sequence[int] | np.ndarray,
    direction: str,
    k: int,
    max_pairs: int,
) -> TopK:
    if k < 1:
        raise ValueError("k must be >= 1")
    owners = np.atleast_1d(np.asarray(owners, dtype=np.int64))
    by_mission = direction == "missions"
    limit = ix.n_missions if by_mission else ix.n_volunteers
    if owners.size and (owners.min() < 0 or owners.max() >= limit):
        raise IndexError(f"{direction[:-1]} index out of range")
    # Excluded pairs are few: rather than testing every candidate, keep k + (the owner's
    # number of exclusions) per owner, then drop the excluded ones from that short list.
    excl = ix.ex_by_mission if by_mission else ix.ex_by_volunteer
    k_ex = k + np.diff(excl.indptr)[owners]
    out_seg, out_item, out_score, out_factors = [], [], [], []
    candidates = allowed = 0
    for seg, v, m, n_cand in _candidate_pairs(ix, owners, direction, max_pairs):
        candidates += n_cand
        item = v if by_mission else m
        # score block by block, keeping each block's top-k per owner (the top-k of a
        # union is the top-k of the union of the parts' top-k)
        for a in range(0, len(v), _BLOCK):
            b = a + _BLOCK
            kept, factors, score, _blocked, _x = _score_block(
                ix, v[a:b], m[a:b], trusted=True, by_skill=by_mission
            )
            allowed += len(cast(np.ndarray, kept))  # trusted scoring says which it kept
            seg_b, item_b = seg[a:b][kept], item[a:b][kept]
            sel = _segment_topk(seg_b, score, item_b, k_ex, owners, exact=False)
            out_seg.append(seg_b[sel])
            out_item.append(item_b[sel])
            out_score.append(score[sel])
            out_factors.append(factors[:, sel])
    if out_seg:
        seg = np.concatenate(out_seg)
        items = np.concatenate(out_item)
        scores = np.concatenate(out_score)
        factors = np.concatenate(out_factors, axis=1)
        sel = _segment_topk(seg, scores, items, k_ex, owners)
        if ix.ex_keys.size:
            v, m = (items[sel], owners[seg[sel]]) if by_mission else (owners[seg[sel]], items[sel])
            excluded = _is_excluded(ix, v, m)
            sel = sel[~excluded]
            allowed -= int(excluded.sum())  # at least these were excluded
            s = seg[sel]
            sel = sel[np.arange(len(sel)) - np.searchsorted(s, s, side="left") < k]
        seg, items, scores = seg[sel], items[sel], scores[sel]
        factors = np.ascontiguousarray(factors[:, sel].T)
        counts = np.bincount(seg, minlength=len(owners)).astype(np.int64)
    else:
        items = np.zeros(0, dtype=np.int64)
        scores = np.zeros(0, dtype=np.float32)
        factors = np.zeros((0, N_FACTORS), dtype=np.float32)
        counts = np.zeros(len(owners), dtype=np.int64)
    indptr = np.zeros(len(owners) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return TopK(owners, indptr, items.astype(np.int64), scores, factors, candidates, allowed)


def tie_key(owners: npt.ArrayLike, items: npt.ArrayLike) -> np.ndarray:
    """The tie-break of equal scores (lower first): a hash of (owner, item), int64.

    Deterministic (the same run twice gives the same suggestions) but unrelated to the
    database order, so that among equally good matches no volunteer or mission is always
    preferred for having a lower primary key. ``owners`` are the missions of a mission's
    list (volunteers of a volunteer's list), ``items`` what is ranked.
    """
    owners = np.asarray(owners, dtype=np.int64).astype(np.uint64)
    items = np.asarray(items, dtype=np.int64)
    x = owners * np.uint64(0x9E3779B97F4A7C15) ^ items.astype(np.uint64) * np.uint64(
        0xC2B2AE3D27D4EB4F
    )
    x ^= x >> np.uint64(29)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(32)
    key: np.ndarray = ((x & np.uint64(0xFFFFFFFF)) << np.uint64(31)).astype(np.int64) | items
    return key


def _segment_topk(
    seg: np.ndarray,
    score: np.ndarray,
    item: np.ndarray,
    k: np.ndarray,
    owners: np.ndarray,
    *,
    exact: bool = True,
    n_bins: int = 1024,
) -> np.ndarray:
    """Positions of the top-k[s] (score desc, then :func:`tie_key`) of each segment s,
    sorted by s.

    ``seg`` is nondecreasing, ``score`` float32 in [0, 1], ``k`` and ``owners`` indexed
    by segment.
    Linear time: a per-segment histogram of scores finds, for segments with more than k
    entries, a score bin that keeps at least k of them; only those survivors are sorted.
    With ``exact=False``, the survivors are returned unsorted (a superset of the top-k,
    in position order): enough for a first pass before a final exact one.
    """
    n = len(seg)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first_seg, n_seg = int(seg[0]), int(seg[-1]) + 1
    local = seg - first_seg
    kk = k[first_seg:n_seg]
    big = np.bincount(local, minlength=n_seg - first_seg) > kk
    if big.any():
        width = n_bins + 1  # score 1.0 gets its own bin
        bins = (score * n_bins).astype(np.int64)
        if big.all():
            flat = local * width + bins
            n_big = len(big)
        else:
            in_big = big[local]
            flat = (np.cumsum(big) - 1)[local[in_big]] * width + bins[in_big]
            n_big = int(big.sum())
        hist = np.bincount(flat, minlength=n_big * width).reshape(n_big, width)
        reached = np.cumsum(hist[:, ::-1], axis=1) >= kk[big][:, None]
        thr = np.full(len(big), -1, dtype=np.int64)
        thr[big] = n_bins - np.argmax(reached, axis=1)
        sel = np.flatnonzero(bins >= thr[local])
    else:
        sel = np.arange(n, dtype=np.int64)
    if not exact:
        return sel
    # sort the survivors by (segment, score desc, tie key): two stable integer sorts
    sel = sel[np.argsort(tie_key(owners[seg[sel]], item[sel]), kind="stable")]
    bits = (score[sel] + np.float32(0)).view(np.uint32).astype(np.int64)  # monotone, >= 0
    key = (local[sel] << 32) | (0x3F800000 - bits)
    sel = sel[np.argsort(key, kind="stable")]
    s = seg[sel]
    rank = np.arange(len(sel)) - np.searchsorted(s, s, side="left")
    kept: np.ndarray = sel[rank < k[s]]
    return kept


# ------------------------------------------------------------------------------------
# Details for explanations
# ------------------------------------------------------------------------------------
