"""Benchmark of the matching kernel (matching/engine/) on synthetic arrays, no Django.

    .venv/bin/python bench/bench_kernel.py [--volunteers 100000] [--missions 10000]
        [--k 50] [--workers 2] [--sample 20000] [--seed 7] [--quick]

Synthetic data, fixed seed, shaped like the platform: the 138 skills in 12 families of
taxonomy/reference_data.py with their related pairs; volunteers with 1 + Poisson(2.7)
skills (≈ 3.7), mostly from one family, skill popularity skewed within families,
levels 1-4; places around the 101 départements' centres (weighted towards big cities);
missions with 1-4 skills (75 % required), 45 % remote / 35 % on-site / 20 % hybrid;
dates, hours, causes, languages, seniority, programmes and exclusions (about 3 past
applications per volunteer) with plausible rates.

Prints:
1. the kernel time of a full recompute: every mission's top-k volunteers and every
   volunteer's top-k missions (plus the index build), in one process, and with
   ``--workers`` processes splitting the chunks (the Celery chord's shape);
2. one mission against all volunteers, and one volunteer against all missions: p50/p95
   over 50 runs each (top-k included); the same for a mission (volunteer) not in the
   index: ``ix.with_missions`` (``with_volunteers``) of that one row + its top-k;
3. the same scoring as a plain per-pair Python loop (ReferenceScorer) on a sample of
   pairs, extrapolated, and the speed ratio (target ≥ 100×);
4. quality: one planted best volunteer per mission (a sample of missions), recall@10
   (target ≥ 0.95);
5. the cost of wording explanations, done when a stored list is read (50 pairs a page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import resource
import sys
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import engine as E  # noqa: E402
from matching import explain as X  # noqa: E402
from matching.engine.reference import ReferenceScorer  # noqa: E402
from taxonomy.reference_data import (  # noqa: E402
    CAUSES,
    DEPARTEMENTS,
    REGIONS,
    RELATED_SKILLS,
    SKILLS,
)

TODAY = dt.date(2026, 3, 2).toordinal()
TIE = 1e-6
BIG_CITIES = {"75": 12, "92": 6, "93": 5, "94": 5, "69": 6, "13": 6, "59": 6, "33": 4}
BIG_CITIES |= {"31": 4, "44": 3, "67": 3, "06": 3, "34": 3, "35": 3, "38": 3, "78": 4, "91": 4}


# ------------------------------------------------------------------------------------
# Synthetic data
# ------------------------------------------------------------------------------------


def taxonomy() -> E.Taxonomy:
    return E.Taxonomy.from_codes([(code, fam) for code, fam, *_ in SKILLS], RELATED_SKILLS)


class World:
    """Skill popularity and places shared by the volunteer and mission generators."""

    def __init__(self, tax: E.Taxonomy, rng: np.random.Generator):
        self.tax = tax
        self.rng = rng
        n_f = tax.n_families
        self.family_p = rng.dirichlet(np.full(n_f, 3.0))
        self.family_skills = [np.flatnonzero(tax.skill_family == f) for f in range(n_f)]
        self.skill_p = []
        for skills in self.family_skills:
            p = 1.0 / np.arange(1, len(skills) + 1) ** 0.9
            self.skill_p.append(rng.permutation(p / p.sum()))
        region_index = {code: i for i, (code, _name) in enumerate(REGIONS)}
        self.dept_region = np.array([region_index[d[2]] for d in DEPARTEMENTS])
        self.dept_lat = np.array([d[3] for d in DEPARTEMENTS])
        self.dept_lon = np.array([d[4] for d in DEPARTEMENTS])
        weight = rng.lognormal(0.0, 0.5, len(DEPARTEMENTS))
        for i, d in enumerate(DEPARTEMENTS):
            weight[i] *= BIG_CITIES.get(d[0], 1)
        self.dept_p = weight / weight.sum()

    def skills(self, n_rows: int, per_row: np.ndarray, main_share: float):
        """Sparse rows of distinct skills: ``main_share`` from the row's main family."""
        rng = self.rng
        n_f = len(self.family_skills)
        main = rng.choice(n_f, n_rows, p=self.family_p)
        total = int(per_row.sum())
        row = np.repeat(np.arange(n_rows), per_row)
        family = np.where(
            rng.random(total) < main_share, main[row], rng.choice(n_f, total, p=self.family_p)
        )
        skill = np.empty(total, dtype=np.int64)
        for f in range(n_f):
            at = np.flatnonzero(family == f)
            skill[at] = rng.choice(self.family_skills[f], len(at), p=self.skill_p[f])
        key = np.unique(row.astype(np.int64) * self.tax.n_skills + skill)
        return key // self.tax.n_skills, key % self.tax.n_skills

    def places(self, n: int):
        rng = self.rng
        dept = rng.choice(len(self.dept_p), n, p=self.dept_p)
        lat = self.dept_lat[dept] + rng.normal(0, 0.18, n)
        lon = self.dept_lon[dept] + rng.normal(0, 0.25, n)
        unknown = rng.random(n) < 0.04
        lat[unknown] = lon[unknown] = np.nan
        return dept, self.dept_region[dept], lat, lon


def volunteers(world: World, n: int) -> E.VolunteerArrays:
    rng = world.rng
    per = np.minimum(1 + rng.poisson(3.2, n), 12)  # ≈ 3.7 distinct skills
    rows, cols = world.skills(n, per, main_share=0.7)
    levels = rng.choice([1, 2, 3, 4], len(rows), p=[0.1, 0.35, 0.35, 0.2])
    skills = sparse.csr_matrix((levels, (rows, cols)), shape=(n, world.tax.n_skills))
    n_causes = len(CAUSES)
    causes = np.zeros(n, dtype=np.uint64)
    for _ in range(3):
        pick = rng.integers(0, n_causes, n).astype(np.uint64)
        causes |= np.where(rng.random(n) < 0.6, np.uint64(1) << pick, np.uint64(0))
    formats = rng.choice([7, 7, 7, 5, 1, 3, 6, 2], n).astype(np.uint8)
    languages = (
        1
        | np.where(rng.random(n) < 0.45, 2, 0)
        | np.where(rng.random(n) < 0.08, 1 << rng.integers(2, 12, n), 0)
    )
    dept, region, lat, lon = world.places(n)
    limited = rng.random(n) < 0.35
    start = np.where(limited & (rng.random(n) < 0.5), TODAY + rng.integers(-60, 90, n), -1)
    until = np.where(limited, TODAY + rng.integers(30, 400, n), -1)
    until = np.where((until >= 0) & (start >= 0), np.maximum(until, start + 14), until)
    return E.VolunteerArrays(
        skills=skills,
        causes=causes,
        seniority=rng.choice(4, n, p=[0.25, 0.4, 0.25, 0.1]),
        languages=languages,
        formats=formats,
        latitude=lat,
        longitude=lon,
        max_distance_km=rng.choice(
            [5, 10, 20, 30, 50, 100], n, p=[0.1, 0.2, 0.25, 0.25, 0.15, 0.05]
        ),
        available_from=start,
        available_until=until,
        hours_per_month=rng.choice([2, 4, 8, 12, 20, 40], n, p=[0.15, 0.3, 0.25, 0.15, 0.1, 0.05]),
        departement=dept,
        region=region,
        company_group=np.where(rng.random(n) < 0.3, rng.integers(0, 40, n), -1),
        visible=rng.random(n) < 0.95,
    )


def missions(world: World, n: int) -> E.MissionArrays:
    rng = world.rng
    n_s = world.tax.n_skills
    per = rng.choice([1, 2, 3, 4], n, p=[0.3, 0.35, 0.25, 0.1])
    rows, cols = world.skills(n, per, main_share=0.8)
    levels = rng.choice([1, 2, 3], len(rows), p=[0.3, 0.5, 0.2])
    is_required = rng.random(len(rows)) < 0.75
    first = np.r_[True, rows[1:] != rows[:-1]]
    is_required |= first  # every mission has at least one required skill
    required = sparse.csr_matrix(
        (levels[is_required], (rows[is_required], cols[is_required])), shape=(n, n_s)
    )
    nice = sparse.csr_matrix(
        (levels[~is_required], (rows[~is_required], cols[~is_required])), shape=(n, n_s)
    )
    dept, region, lat, lon = world.places(n)
    dated = rng.random(n) < 0.5
    start = np.where(dated, TODAY + rng.integers(-10, 90, n), -1)
    end = np.where(dated, start + rng.integers(7, 180, n), -1)
    programme = np.where(rng.random(n) < 0.04, rng.integers(0, 40, n), -1)
    elig_rows = np.flatnonzero(rng.random(n) < 0.2)
    eligible = sparse.csr_matrix(
        (np.ones(len(elig_rows), bool), (elig_rows, rng.integers(0, 40, len(elig_rows)))),
        shape=(n, 40),
    )
    return E.MissionArrays(
        required=required,
        nice=nice,
        cause=rng.integers(0, len(CAUSES), n),
        location_mode=rng.choice(3, n, p=[0.45, 0.35, 0.2]),
        latitude=lat,
        longitude=lon,
        departement=dept,
        region=region,
        start_date=start,
        end_date=end,
        effort_hours=rng.choice([4, 10, 20, 40, 80], n).astype(float),
        hours_per_week=np.where(rng.random(n) < 0.4, rng.choice([1.0, 2.0, 4.0, 8.0], n), np.nan),
        languages=np.where(rng.random(n) < 0.12, 3, 0),
        preferred_seniority=np.where(rng.random(n) < 0.2, rng.integers(0, 4, n), -1),
        programme_group=programme,
        programme_eligible=eligible,
        no_applicant=rng.random(n) < 0.4,
        small_association=rng.random(n) < 0.6,
        is_open=np.ones(n, dtype=bool),
    )


def exclusions(rng, n_v: int, n_m: int, per_volunteer: float = 3.0):
    n = int(n_v * per_volunteer)
    return rng.integers(0, n_v, n), rng.integers(0, n_m, n)


def dataset(n_v: int, n_m: int, seed: int):
    rng = np.random.default_rng(seed)
    tax = taxonomy()
    world = World(tax, rng)
    vol, mis = volunteers(world, n_v), missions(world, n_m)
    return world, vol, mis, exclusions(rng, n_v, n_m)


# ------------------------------------------------------------------------------------
# Measures
# ------------------------------------------------------------------------------------

_IX: E.MatchingIndex | None = None


def _run_chunk(args):
    direction, part, k = args
    fn = E.recompute_missions if direction == "missions" else E.recompute_volunteers
    t0 = time.perf_counter()
    result = fn(_IX, part, k)
    return direction, time.perf_counter() - t0, result.candidates, result.allowed, len(result.items)


def full_recompute(ix, k, workers, n_chunks):
    """Both directions as chunks (the Celery chord's shape) over ``workers`` processes.

    Returns (wall seconds, {direction: [seconds, candidates, allowed, kept]})."""
    global _IX
    _IX = ix
    jobs = [("missions", part, k) for part in E.chunks(ix.n_missions, n_chunks)]
    jobs += [("volunteers", part, k) for part in E.chunks(ix.n_volunteers, n_chunks)]
    t0 = time.perf_counter()
    if workers == 1:
        results = [_run_chunk(job) for job in jobs]
    else:
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.map(_run_chunk, jobs, chunksize=1)
    wall = time.perf_counter() - t0
    totals = {"missions": np.zeros(4), "volunteers": np.zeros(4)}
    for direction, *values in results:
        totals[direction] += values
    return wall, totals


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, runs):
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    times = np.array(times) * 1000
    return np.percentile(times, 50), np.percentile(times, 95)


_FIELDS_M = [f.name for f in fields(E.MissionArrays)]
_FIELDS_V = [f.name for f in fields(E.VolunteerArrays)]


def _rows(value, rows):
    return None if value is None else value[rows]


def planted(world: World, vol: E.VolunteerArrays, mis: E.MissionArrays, sample, seed):
    """One best-by-construction volunteer per sampled mission, mixed into the others.

    The planted volunteer has every skill the mission lists at or above the minimum
    level, its cause and languages, its preferred seniority, works for the company of its
    programme (or of one it is eligible for), accepts its format, lives within a quarter
    of their maximum distance of it, is always available with enough hours: nobody can
    score higher on that mission (others can tie). Returns (volunteers with the planted
    ones shuffled in at random positions, planted index per sampled mission).
    """
    rng = np.random.default_rng(seed)
    ix_tmp = E.build_index(vol, mis, world.tax, today=TODAY)
    n0, n_p = len(vol), len(sample)
    rows, cols, vals = [], [], []
    for i, m in enumerate(sample):
        levels: dict[int, int] = {}
        for s in rng.integers(0, world.tax.n_skills, rng.integers(0, 3)).tolist():
            levels[s] = int(rng.integers(1, 5))  # unrelated extra skills
        for matrix in (mis.required, mis.nice):
            a, b = matrix.indptr[m], matrix.indptr[m + 1]
            for s, lv in zip(matrix.indices[a:b].tolist(), matrix.data[a:b].tolist(), strict=True):
                levels[s] = max(levels.get(s, 0), int(rng.integers(lv, 5)))
        for s, lv in levels.items():
            rows.append(i)
            cols.append(s)
            vals.append(lv)
    skills = sparse.csr_matrix((vals, (rows, cols)), shape=(n_p, world.tax.n_skills))
    mode = mis.location_mode[sample]
    dmax = rng.choice([20.0, 30.0, 50.0], n_p)
    # a point at a quarter of dmax at most from the mission (or anywhere, when remote)
    bearing = rng.uniform(0, 2 * np.pi, n_p)
    dist = rng.uniform(0, 0.25, n_p) * dmax
    lat0 = np.where(np.isnan(mis.latitude[sample]), 46.5, mis.latitude[sample])
    lon0 = np.where(np.isnan(mis.longitude[sample]), 2.5, mis.longitude[sample])
    lat = lat0 + dist * np.cos(bearing) / 111.0
    lon = lon0 + dist * np.sin(bearing) / (111.0 * np.cos(np.radians(lat0)))
    pref = mis.preferred_seniority[sample]
    seniority = np.where(pref >= 0, pref, rng.integers(0, 4, n_p))
    need = ix_tmp.m_need[sample]
    eligible = mis.programme_eligible.tocsr()[sample]
    first_eligible = np.where(
        np.diff(eligible.indptr) > 0,
        eligible.indices[np.minimum(eligible.indptr[:-1], eligible.nnz - 1)],
        -1,
    )
    group = np.where(mis.programme_group[sample] >= 0, mis.programme_group[sample], first_eligible)
    extra_vol = E.VolunteerArrays(
        skills=skills,
        causes=np.left_shift(np.uint64(1), mis.cause[sample].astype(np.uint64)),
        seniority=seniority,
        languages=mis.languages[sample] | 1,
        formats=np.left_shift(1, mode.astype(np.int64)) | rng.choice([0, 1, 7], n_p),
        latitude=lat,
        longitude=lon,
        max_distance_km=dmax,
        available_from=np.full(n_p, -1),
        available_until=np.full(n_p, -1),
        hours_per_month=np.ceil(need) + rng.integers(0, 6, n_p),
        departement=mis.departement[sample],
        region=mis.region[sample],
        company_group=group,
        visible=np.ones(n_p, dtype=bool),
    )
    merged = {}
    for name in E.VolunteerArrays.__dataclass_fields__:
        a, b = getattr(vol, name), getattr(extra_vol, name)
        merged[name] = sparse.vstack([a, b]).tocsr() if name == "skills" else np.concatenate([a, b])
    perm = rng.permutation(n0 + n_p)  # new position -> old index
    for name, value in merged.items():
        merged[name] = value[perm]
    where = np.empty(n0 + n_p, dtype=np.int64)
    where[perm] = np.arange(n0 + n_p)
    return E.VolunteerArrays(**merged), where[n0 + np.arange(n_p)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--missions", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20_000, help="pairs for the Python loop")
    parser.add_argument(
        "--planted", type=int, default=2_000, help="missions with a planted volunteer"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip the multi-worker run")
    args = parser.parse_args()
    k = args.k

    t0 = time.perf_counter()
    world, vol, mis, excluded = dataset(args.volunteers, args.missions, args.seed)
    gen_s = time.perf_counter() - t0
    n_v, n_m = len(vol), len(mis)
    print(
        f"Synthetic data: {n_v:,} volunteers × {n_m:,} missions, {world.tax.n_skills} skills "
        f"in {world.tax.n_families} families ({gen_s:.1f} s to generate)"
    )
    print(
        f"  skills per volunteer {vol.skills.nnz / n_v:.2f}, per mission "
        f"{(mis.required.nnz + mis.nice.nnz) / n_m:.2f} "
        f"(required {mis.required.nnz / n_m:.2f}); excluded pairs {len(excluded[0]):,}"
    )

    t0 = time.perf_counter()
    ix = E.build_index(vol, mis, world.tax, excluded=excluded, today=TODAY)
    build_s = time.perf_counter() - t0
    n_chunks = 20
    print(f"\n1. Full recompute, kernel only (top-{k} both ways, {n_chunks} chunks a direction)")
    print(f"  index build                        {build_s:7.2f} s")
    wall_1, totals = full_recompute(ix, k, 1, n_chunks)
    for direction, (seconds, candidates, allowed, kept) in totals.items():
        other = "volunteers" if direction == "missions" else "missions"
        print(
            f"  {direction:>10} → top-{k} {other:<10}    {seconds:7.2f} s  ({candidates:,.0f} "
            f"candidate pairs, {allowed:,.0f} allowed, {kept:,.0f} kept)"
        )
    kernel_s = build_s + wall_1
    scored = totals["missions"][1] + totals["volunteers"][1]
    print(
        f"  kernel total, 1 process            {kernel_s:7.2f} s  "
        f"({totals['missions'][1] / (n_v * n_m):.1%} of all pairs are candidates; "
        f"{kernel_s / scored * 1e9:.0f} ns a scored pair)"
    )
    if not args.quick and args.workers > 1:
        wall_w, _ = full_recompute(ix, k, args.workers, n_chunks)
        print(
            f"  kernel total, {args.workers} processes          {build_s + wall_w:7.2f} s  "
            f"(speed-up ×{wall_1 / wall_w:.2f} on the chunks)"
        )
    print(f"  peak memory (this process)         {peak_mb():7.0f} MB")

    print("\n2. One against all (top-50 included), 50 runs")
    rng = np.random.default_rng(args.seed + 1)
    ms = rng.integers(0, n_m, 50)
    vs = rng.integers(0, n_v, 50)
    E.top_volunteers(ix, int(ms[0]), k)
    p50, p95 = timed(lambda i: E.top_volunteers(ix, int(ms[i]), k), 50)
    print(f"  one mission vs {n_v:,} volunteers   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    p50, p95 = timed(lambda i: E.top_missions(ix, int(vs[i]), k), 50)
    print(f"  one volunteer vs {n_m:,} missions    p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    one_m = [E.MissionArrays(**{f: _rows(getattr(mis, f), [j]) for f in _FIELDS_M}) for j in ms]
    one_v = [E.VolunteerArrays(**{f: _rows(getattr(vol, f), [j]) for f in _FIELDS_V}) for j in vs]
    p50, p95 = timed(lambda i: E.recompute_missions(ix.with_missions(one_m[i]), [0], k), 50)
    print(f"  ix.with_missions(1) + recompute     p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    p50, p95 = timed(lambda i: E.recompute_volunteers(ix.with_volunteers(one_v[i]), [0], k), 50)
    print(f"  ix.with_volunteers(1) + recompute   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")

    print("\n3. Plain per-pair Python loop (ReferenceScorer), on a sample")
    t0 = time.perf_counter()
    ref = ReferenceScorer(ix)
    ref_init = time.perf_counter() - t0
    sv = rng.integers(0, n_v, args.sample)
    sm = rng.integers(0, n_m, args.sample)
    t0 = time.perf_counter()
    for v, m in zip(sv.tolist(), sm.tolist(), strict=True):
        ref.score(v, m)
    per_pair = (time.perf_counter() - t0) / args.sample
    loop_all = per_pair * n_v * n_m * 2
    loop_cand = per_pair * scored
    print(
        f"  {per_pair * 1e6:.1f} µs a pair ({args.sample:,} pairs; loading into Python "
        f"objects {ref_init:.1f} s, not counted)"
    )
    print(
        f"  every pair, both ways (2 × {n_v * n_m:,}): {loop_all / 3600:,.1f} h extrapolated"
        f" → kernel is ×{loop_all / kernel_s:,.0f} faster"
    )
    print(
        f"  only the candidate pairs the kernel scores: {loop_cand:,.0f} s"
        f" → kernel is ×{loop_cand / kernel_s:,.0f} faster (same work, target ≥ 100×)"
    )
    ps = E.score_pairs(ix, sv[:2000], sm[:2000])
    diff = max(
        abs(ref.score(int(v), int(m))[0] - s)
        for v, m, s in zip(sv[:2000], sm[:2000], ps.scores, strict=True)
    )
    print(f"  max |kernel − loop| score difference on 2,000 pairs: {diff:.1e}")

    print(f"\n4. Quality: a planted best volunteer for {args.planted:,} missions")
    sample = rng.choice(n_m, min(args.planted, n_m), replace=False)
    vol_p, planted_at = planted(world, vol, mis, sample, args.seed + 2)
    ix_p = E.build_index(vol_p, mis, world.tax, today=TODAY)
    top = E.recompute_missions(ix_p, sample, 10)
    found = np.array([planted_at[i] in top.row(i)[0] for i in range(len(sample))])
    own = E.score_pairs(ix_p, planted_at, sample)
    tenth = np.array(
        [top.row(i)[1][-1] if len(top.row(i)[1]) == 10 else -1.0 for i in range(len(sample))]
    )
    # Scores of one pair computed alone and within a mission's list may differ in the
    # last float32 bit (summation order): equal within TIE counts as a tie.
    tie_hits = own.allowed & (own.scores >= tenth - TIE)
    tied = [
        int(np.sum(E.score_mission(ix_p, int(sample[i])).scores >= own.scores[i] - TIE))
        for i in np.flatnonzero(~found)
    ]
    remote = mis.location_mode[sample[~found]] == E.REMOTE
    print(
        f"  recall@10 {tie_hits.mean():.3f} counting a tie with the 10th score as a hit "
        f"(target ≥ 0.95); {found.mean():.3f} in the engine's own top 10"
    )
    if tied:
        print(
            f"  (where it is not in the list, {np.median(tied):.0f} volunteers (median) "
            f"score exactly as high: equally perfect matches, ties broken by tie_key; "
            f"{remote.mean():.0%} of these missions are remote, where place cannot separate them)"
        )
    print(
        f"  planted pairs allowed {own.allowed.mean():.3f}, mean planted score "
        f"{own.scores.mean():.3f}, mean 10th score {tenth[tenth >= 0].mean():.3f}"
    )

    print("\n5. Explanations (worded when a stored list is read)")
    explanations(ix, k)


def explanations(ix, k):
    names = X.SkillNames.from_reference(SKILLS)
    top = E.recompute_missions(ix, np.arange(200), k)
    t0 = time.perf_counter()
    rows = X.explain_top(ix, top, names, direction="missions")
    per_pair = (time.perf_counter() - t0) / max(len(top.items), 1)
    print(
        f"  {per_pair * 1e6:.1f} µs a pair ({len(top.items):,} pairs) → "
        f"{per_pair * k * 1e3:.2f} ms for a list of {k}"
    )
    best = rows[0][0]
    print(f"  e.g. {best.score:.2f}  {best.text_fr}\n             {best.text_en}")


if __name__ == "__main__":
    main()
