"""How a list of suggestions is stored: one compact binary record per owner.

A mission's top 50 volunteers (or a volunteer's top 50 missions) is one row of
:class:`matching.models.SuggestionList`, whose ``items`` hold, for each suggested pair,
its rank, score, factors and every fact its explanation is worded from (distance,
same cause, share of the dates covered, hours, languages, the status of each of the
mission's skills...). The explanation stored with a suggestion is thus exactly the one
computed with it, and it is worded in the reader's language when read
(:func:`matching.explain.explain_details` over :func:`decode`).

Why not one database row per pair: the nightly recompute writes 4.8 million pairs; as
rows with their sentences that is gigabytes of table, index and WAL, and most of the
run. As 110,000 records of a few kilobytes, writing costs little next to the scoring.

Pure numpy (no Django). Layout: a header (format, pair and entry counts, the weights
the scores were computed with), then one :data:`PAIR` record per pair, best first,
then one :data:`ENTRY` record per mission skill per pair, pair after pair.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from . import engine as E
from .weights import FACTORS

FORMAT = 2

_FLAGS = (
    "same_departement",
    "same_region",
    "same_cause",
    "cause_stated",
    "mission_has_dates",
    "programme_eligible",
    "no_applicant",
    "small_association",
)

HEADER = np.dtype(
    [("format", "u1"), ("pairs", "<u2"), ("entries", "<u4"), ("weights", "<f4", (len(FACTORS),))]
)
_PAIR_V1 = [
    ("other", "<i8"),  # the suggested mission's (volunteer's) primary key
    ("rank", "<u2"),
    ("score", "<f4"),
    ("factors", "<f4", (len(FACTORS),)),
    ("distance_km", "<f4"),
    ("dates_fit", "<f4"),
    ("hours_fit", "<f4"),
    ("need_hours_month", "<f4"),
    ("hours_per_month", "<f4"),
    ("missing_languages", "<u4"),
    ("mission_languages", "<u4"),
    ("location_mode", "i1"),
    ("preferred_seniority", "i1"),
    ("seniority", "i1"),
    ("flags", "u1"),  # one bit per _FLAGS
    ("entries", "<u2"),  # how many ENTRY records follow for this pair
]
_ENTRY_V1 = [
    ("skill", "<i8"),  # the skill's primary key
    ("credit", "<f4"),
    ("required", "u1"),
    ("status", "i1"),
    ("min_level", "i1"),
    ("level", "i1"),
]
# Decimals of the scores stored beside a list's members; a score that moved by less than
# ``SCORE_TOLERANCE`` is the same score (the list is not rewritten for it).
SCORE_DIGITS = 5
SCORE_TOLERANCE = 10.0**-SCORE_DIGITS

PAIR = np.dtype(
    [
        *_PAIR_V1,
        # format 2: the limits and dates the explanation names
        ("max_distance_km", "<f4"),
        ("mission_start", "<i4"),
        ("mission_end", "<i4"),
        ("available_from", "<i4"),
        ("available_until", "<i4"),
    ]
)
ENTRY = np.dtype(
    [
        *_ENTRY_V1,
        # format 2: the volunteer's skill behind a related or same-family credit
        ("via", "<i4"),  # its primary key (skills are few), -1 none
        ("via_level", "i1"),
    ]
)
# Lists written before format 2 are read with what they hold (no limit or date named).
_OLDER = {1: (np.dtype(_PAIR_V1), np.dtype(_ENTRY_V1))}


def encode(
    owners: np.ndarray,
    others: np.ndarray,
    ranks: np.ndarray,
    details: E.PairDetails,
    skill_pks: np.ndarray,
) -> Iterator[tuple[int, int, bytes]]:
    """``(owner, number of pairs, bytes)`` for each owner, from pairs grouped by owner.

    ``owners[i]`` and ``others[i]``: primary keys of pair i's owner and suggested side;
    ``ranks[i]`` its rank; ``details``: :func:`matching.engine.pair_details` of the same
    pairs; ``skill_pks``: skill primary key by engine skill index.
    """
    n = len(owners)
    if not n:
        return
    pairs = np.zeros(n, PAIR)
    pairs["other"] = others
    pairs["rank"] = ranks
    pairs["score"] = details.scores
    pairs["factors"] = np.nan_to_num(details.factors)
    for name in (
        "distance_km",
        "max_distance_km",
        "dates_fit",
        "hours_fit",
        "need_hours_month",
        "hours_per_month",
        "mission_start",
        "mission_end",
        "available_from",
        "available_until",
    ):
        pairs[name] = getattr(details, name)
    for name in ("missing_languages", "mission_languages", "location_mode"):
        pairs[name] = getattr(details, name)
    pairs["preferred_seniority"] = details.preferred_seniority
    pairs["seniority"] = details.seniority
    flags = np.zeros(n, np.uint8)
    for bit, name in enumerate(_FLAGS):
        flags |= getattr(details, name).astype(np.uint8) << bit
    pairs["flags"] = flags
    per_pair = np.bincount(details.entry_pair, minlength=n)
    pairs["entries"] = per_pair
    entries = np.zeros(len(details.entry_pair), ENTRY)
    entries["skill"] = skill_pks[details.entry_skill]
    entries["credit"] = details.entry_credit
    entries["required"] = details.entry_required
    entries["status"] = details.entry_status
    entries["min_level"] = details.entry_min_level
    entries["level"] = details.entry_level
    entries["via"] = np.where(
        details.entry_via >= 0, skill_pks[np.maximum(details.entry_via, 0)], -1
    )
    entries["via_level"] = details.entry_via_level

    header = np.zeros(1, HEADER)
    header["format"] = FORMAT
    header["weights"] = details.weights
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    ends = np.r_[starts[1:], n]
    entry_ends = np.cumsum(per_pair)
    entry_starts = entry_ends - per_pair
    owner_pks = owners[starts].tolist()
    for owner, a, b in zip(owner_pks, starts.tolist(), ends.tolist(), strict=True):
        ea, eb = int(entry_starts[a]), int(entry_ends[b - 1])
        header["pairs"], header["entries"] = b - a, eb - ea
        yield owner, b - a, header.tobytes() + pairs[a:b].tobytes() + entries[ea:eb].tobytes()


@dataclass(frozen=True)
class StoredList:
    """One owner's suggestions as stored: pairs best first."""

    pairs: np.ndarray  # PAIR records
    entries: np.ndarray  # ENTRY records
    weights: np.ndarray

    def __len__(self) -> int:
        return len(self.pairs)

    @property
    def others(self) -> list[int]:
        others: list[int] = self.pairs["other"].tolist()
        return others

    @property
    def scores(self) -> list[float]:
        """The pairs' scores, rounded to ``SCORE_DIGITS``: what the table keeps beside
        ``others`` so that a refresh reads a pair's score without decoding the list."""
        scores: list[float] = np.round(
            self.pairs["score"].astype(np.float64), SCORE_DIGITS
        ).tolist()
        return scores

    def take(self, positions: Sequence[int] | np.ndarray) -> StoredList:
        """The pairs at ``positions`` (in that order), with their skill entries."""
        positions = np.asarray(positions, dtype=np.int64)
        entries = _entry_positions(self.pairs["entries"], positions)
        return StoredList(self.pairs[positions], self.entries[entries], self.weights)

    @classmethod
    def empty(cls, weights: np.ndarray) -> StoredList:
        return cls(np.zeros(0, PAIR), np.zeros(0, ENTRY), weights)

    @property
    def floor(self) -> float:
        """The lowest score of the list (0 when empty): what a newcomer must beat."""
        return float(self.pairs["score"][-1]) if len(self.pairs) else 0.0

    def tobytes(self) -> bytes:
        header = np.zeros(1, HEADER)
        header["format"] = FORMAT
        header["pairs"], header["entries"] = len(self.pairs), len(self.entries)
        header["weights"] = self.weights
        return header.tobytes() + self.pairs.tobytes() + self.entries.tobytes()

    def merged(self, *, owner: int, drop: int, add: StoredList | None, k: int) -> StoredList:
        """This list without the pair of ``drop`` (a primary key of the other side), with
        the pairs of ``add`` (computed for the same owner: typically ``drop``'s new one),
        best ``k`` kept and ranked again: how one changed mission (volunteer) enters or
        leaves another's list without recomputing it. Equal scores are ordered by
        :func:`engine.tie_key` of the primary keys."""
        keep = self.pairs["other"] != drop
        pairs, entries = self.pairs[keep], self.entries[np.repeat(keep, self.pairs["entries"])]
        if add is not None:
            pairs = np.concatenate([pairs, add.pairs])
            entries = np.concatenate([entries, add.entries])
        owners = np.full(len(pairs), owner, dtype=np.int64)
        order = np.lexsort(
            (E.tie_key(owners, pairs["other"].astype(np.int64)), -pairs["score"].astype(np.float64))
        )[:k]
        ranked = pairs[order]  # a copy: fancy indexing
        ranked["rank"] = np.arange(1, len(ranked) + 1)
        weights = add.weights if add is not None else self.weights
        return StoredList(ranked, entries[_entry_positions(pairs["entries"], order)], weights)

    def details(self, *, owner: int, owner_is_mission: bool) -> E.PairDetails:
        """The pairs as :class:`matching.engine.PairDetails`, for the explanations.

        ``volunteers`` and ``missions`` hold primary keys (not engine indices), and
        ``entry_skill`` skill primary keys."""
        p, n = self.pairs, len(self.pairs)
        owners = np.full(n, owner, dtype=np.int64)
        others = p["other"].astype(np.int64)
        volunteers, missions = (others, owners) if owner_is_mission else (owners, others)
        flags = {name: (p["flags"] >> bit & 1).astype(bool) for bit, name in enumerate(_FLAGS)}
        e = self.entries
        return E.PairDetails(
            volunteers=volunteers,
            missions=missions,
            scores=p["score"].astype(np.float32),
            factors=p["factors"].astype(np.float32),
            blocked=np.zeros(n, dtype=np.int64),
            distance_km=p["distance_km"].astype(np.float32),
            max_distance_km=p["max_distance_km"].astype(np.float32),
            mission_start=p["mission_start"].astype(np.int32),
            mission_end=p["mission_end"].astype(np.int32),
            available_from=p["available_from"].astype(np.int32),
            available_until=p["available_until"].astype(np.int32),
            location_mode=p["location_mode"].astype(np.int8),
            dates_fit=p["dates_fit"].astype(np.float32),
            hours_fit=p["hours_fit"].astype(np.float32),
            need_hours_month=p["need_hours_month"].astype(np.float32),
            hours_per_month=p["hours_per_month"].astype(np.float32),
            missing_languages=p["missing_languages"].astype(np.uint32),
            mission_languages=p["mission_languages"].astype(np.uint32),
            preferred_seniority=p["preferred_seniority"].astype(np.int8),
            seniority=p["seniority"].astype(np.int8),
            entry_pair=np.repeat(np.arange(n, dtype=np.int64), p["entries"]),
            entry_skill=e["skill"].astype(np.int64),
            entry_required=e["required"].astype(bool),
            entry_min_level=e["min_level"].astype(np.int64),
            entry_level=e["level"].astype(np.int64),
            entry_status=e["status"].astype(np.int8),
            entry_credit=e["credit"].astype(np.float32),
            entry_via=e["via"].astype(np.int64),
            entry_via_level=e["via_level"].astype(np.int64),
            weights=self.weights.astype(np.float32),
            **flags,
        )


def _entry_positions(counts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The positions of the skill entries of the pairs at ``positions`` (in that order),
    given each pair's number of entries: their ranges, concatenated, without a loop."""
    counts = counts.astype(np.int64)
    starts = np.cumsum(counts) - counts
    wanted = counts[positions]
    before = np.cumsum(wanted) - wanted  # where each pair's entries land in the result
    found: np.ndarray = np.arange(int(wanted.sum()), dtype=np.int64) + np.repeat(
        starts[positions] - before, wanted
    )
    return found


def decode(data: bytes | memoryview) -> StoredList:
    """The list stored by :func:`encode`; ValueError if ``data`` is not one."""
    data = bytes(data)
    if len(data) < HEADER.itemsize:
        raise ValueError("not a stored suggestion list: too short")
    header = np.frombuffer(data, HEADER, count=1)[0]
    version = int(header["format"])
    if version == FORMAT:
        pair_type, entry_type = PAIR, ENTRY
    elif version in _OLDER:
        pair_type, entry_type = _OLDER[version]
    else:
        raise ValueError(f"unknown suggestion list format {version}")
    n, k = int(header["pairs"]), int(header["entries"])
    if len(data) != HEADER.itemsize + n * pair_type.itemsize + k * entry_type.itemsize:
        raise ValueError("not a stored suggestion list: wrong length")
    pairs = np.frombuffer(data, pair_type, count=n, offset=HEADER.itemsize)
    entries = np.frombuffer(
        data, entry_type, count=k, offset=HEADER.itemsize + n * pair_type.itemsize
    )
    if version != FORMAT:
        pairs, entries = _upgraded(pairs, PAIR), _upgraded(entries, ENTRY)
    return StoredList(pairs, entries, header["weights"].copy())


def _upgraded(records: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Older records in today's layout: no distance limit (NaN), open dates, no skill
    behind a related credit."""
    upgraded = np.zeros(len(records), dtype)
    for name in records.dtype.names or ():
        upgraded[name] = records[name]
    defaults = {
        "max_distance_km": np.nan,
        "mission_start": E.OPEN_DATE,
        "mission_end": E.OPEN_DATE,
        "available_from": E.OPEN_DATE,
        "available_until": E.OPEN_DATE,
        "via": -1,
    }
    for name, value in defaults.items():
        if name in (dtype.names or ()) and name not in (records.dtype.names or ()):
            upgraded[name] = value
    return upgraded
