"""The scoring core of the matching engine: plain numpy/scipy over arrays, no Django.

An adapter (elsewhere) loads volunteers, open missions and the skill taxonomy from the
database into the dataclasses below (:class:`VolunteerArrays`, :class:`MissionArrays`,
:class:`Taxonomy`), and :func:`build_index` prepares them once into a
:class:`MatchingIndex`. Everything else works on indices into those arrays (volunteer
``v`` in ``0..n_volunteers-1``, mission ``m`` in ``0..n_missions-1``); the adapter maps
them back to primary keys.

Entry points:

- :func:`score_pairs` — any list of (volunteer, mission) pairs, with the hard-filter
  reasons (for a staff member proposing someone by hand, and for tests);
- :func:`top_volunteers` / :func:`top_missions` — one mission against every volunteer,
  one volunteer against every mission (the "profile changed" / "mission published" paths);
- :func:`recompute_missions` / :func:`recompute_volunteers` — a *chunk* of missions
  (volunteers) to their top-k volunteers (missions), for the nightly full recompute
  split across Celery workers (use :func:`chunks` to split the indices);
- :func:`pair_details` — what an explanation needs (matching/explain.py);
- :meth:`MatchingIndex.with_missions` / :meth:`MatchingIndex.with_volunteers` — a new
  index over other missions (a just-published one) or other volunteers (a changed
  profile), reusing the other half of an existing index as is (≈ 5 ms at 100k × 10k
  instead of a full :func:`build_index`);
- :class:`matching.engine.reference.ReferenceScorer` — the same scoring as a plain
  per-pair Python loop: the oracle of the tests and the baseline of the benchmark
  (imported from its module; nothing in production loads it).

How a full recompute avoids the 10⁹ pairs. A pair can only be suggested if the volunteer
has at least one of the mission's *required* skills, directly or through a *related*
skill (a nice-to-have skill, or a skill of the same family, is not enough to be
suggested: it only adds credit to a pair that qualifies); missions that require no skill
are open to every volunteer. This is a rule of the score (:data:`BLOCK_NO_SKILL`), so the
candidate generation below is exact, not an approximation: candidates are the non-zeros
of the sparse product of ``missions × keys`` by ``keys × volunteers``, where a key is a
(context, skill) pair: the mission's required skills, the volunteer's skills expanded
with their related skills (plus an "any" skill for missions requiring none), in each
context they accept — remote, hybrid, and for on-site missions the 0.5° grid cells within
reach of their maximum distance (a conservative bounding box). So pairs in a refused
format are never generated, nor on-site pairs far beyond reach. Candidates are then
scored in cache-sized blocks (gathers into per-volunteer and per-mission arrays; the
remaining hard filters drop pairs), and the top-k per owner is selected with a per-owner
score histogram (linear time) followed by an exact sort of the few survivors. Excluded
pairs (applications, hidden suggestions) are few: each owner keeps k + its number of
exclusions, and the excluded ones are removed from that short list.

Scores are weighted means of factors in [0, 1] (see matching/weights.py), in float32.

The modules, in the order data flows through them:

- :mod:`.arrays` — codes, bitmasks and the input dataclasses;
- :mod:`.prepare` — each side's inputs prepared alone (skill codes, scalars, keys);
- :mod:`.candidates` — the candidate keys and the pairs of a chunk of owners;
- :mod:`.index` — :class:`MatchingIndex` joins the two prepared sides;
- :mod:`.scoring` — the vectorised kernel and the pair-scoring entry points;
- :mod:`.topk` — the per-owner top-k of a recompute;
- :mod:`.details` — the facts an explanation words;
- :mod:`.reference` — the plain Python oracle (tests and benchmarks only).
"""

from .arrays import (
    BLOCK_CLOSED,
    BLOCK_DISTANCE,
    BLOCK_EXCLUDED,
    BLOCK_FORMAT,
    BLOCK_INVISIBLE,
    BLOCK_NO_SKILL,
    BLOCK_PROGRAMME,
    BLOCK_REASONS,
    DAYS_PER_MONTH,
    ENGINE_VERSION,
    FORMAT_HYBRID,
    FORMAT_ON_SITE,
    FORMAT_REMOTE,
    FRENCH,
    HYBRID,
    LANGUAGE_CODES,
    LOCATION_MODES,
    N_FACTORS,
    ON_SITE,
    OPEN_DATE,
    REMOTE,
    SENIORITY_CODES,
    SKILL_BELOW,
    SKILL_FAMILY,
    SKILL_MET,
    SKILL_MISSING,
    SKILL_RELATED,
    MissionArrays,
    Taxonomy,
    VolunteerArrays,
    cause_mask,
    day,
    format_mask,
    language_mask,
)
from .details import PairDetails, pair_details
from .index import MatchingIndex, build_index
from .scoring import PairScores, score_mission, score_pairs, score_volunteer
from .topk import (
    TopK,
    chunks,
    recompute_missions,
    recompute_volunteers,
    tie_key,
    top_missions,
    top_volunteers,
)

__all__ = [
    "BLOCK_CLOSED",
    "BLOCK_DISTANCE",
    "BLOCK_EXCLUDED",
    "BLOCK_FORMAT",
    "BLOCK_INVISIBLE",
    "BLOCK_NO_SKILL",
    "BLOCK_PROGRAMME",
    "BLOCK_REASONS",
    "DAYS_PER_MONTH",
    "ENGINE_VERSION",
    "FORMAT_HYBRID",
    "FORMAT_ON_SITE",
    "FORMAT_REMOTE",
    "FRENCH",
    "HYBRID",
    "LANGUAGE_CODES",
    "LOCATION_MODES",
    "N_FACTORS",
    "ON_SITE",
    "OPEN_DATE",
    "REMOTE",
    "SENIORITY_CODES",
    "SKILL_BELOW",
    "SKILL_FAMILY",
    "SKILL_MET",
    "SKILL_MISSING",
    "SKILL_RELATED",
    "MatchingIndex",
    "MissionArrays",
    "PairDetails",
    "PairScores",
    "Taxonomy",
    "TopK",
    "VolunteerArrays",
    "build_index",
    "cause_mask",
    "chunks",
    "day",
    "format_mask",
    "language_mask",
    "pair_details",
    "recompute_missions",
    "recompute_volunteers",
    "score_mission",
    "score_pairs",
    "score_volunteer",
    "tie_key",
    "top_missions",
    "top_volunteers",
]
