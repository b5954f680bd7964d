"""MatchingIndex.with_missions / with_volunteers: the same results as a full build_index."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from scipy import sparse

from matching import engine as E
from matching.weights import ScoringParams

from .test_engine import PARIS, TAX, TODAY, mission, random_index, volunteer

K = 5


def take(arrays, rows):
    """The rows ``rows`` of a VolunteerArrays / MissionArrays, as a new instance."""
    rows = np.asarray(rows, dtype=np.int64)
    values = {}
    for f in dataclasses.fields(arrays):
        value = getattr(arrays, f.name)
        values[f.name] = None if value is None else value[rows]
    return type(arrays)(**values)


def sub_exclusions(ix, rows, by_mission: bool):
    """The index's excluded pairs of the owners ``rows``, renumbered 0..len(rows)-1."""
    matrix = (ix.ex_by_mission if by_mission else ix.ex_by_volunteer)[rows].tocoo()
    owner, other = matrix.row.astype(np.int64), matrix.col.astype(np.int64)
    return (other, owner) if by_mission else (owner, other)


def assert_same_topk(a: E.TopK, b: E.TopK, ulp: bool = False):
    np.testing.assert_array_equal(a.owners, b.owners)
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.items, b.items)
    if ulp:  # same pairs scored in another order: BLAS may round the last bit otherwise
        np.testing.assert_allclose(a.scores, b.scores, rtol=0, atol=2e-7)
    else:
        np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.factors, b.factors)
    assert (a.candidates, a.allowed) == (b.candidates, b.allowed)


def assert_same_details(a: E.PairDetails, b: E.PairDetails):
    for f in dataclasses.fields(a):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def assert_same_index_results(a: E.MatchingIndex, b: E.MatchingIndex, ulp: bool = False):
    """Both directions' top-k, every pair's score and details. ``ulp``: the volunteers'
    candidate keys may be in another order (grid cells appended by with_missions), so
    their missions are scored in another order (last-bit differences allowed)."""
    assert (a.n_volunteers, a.n_missions) == (b.n_volunteers, b.n_missions)
    for fn, n in ((E.recompute_missions, a.n_missions), (E.recompute_volunteers, a.n_volunteers)):
        owners = np.arange(n)
        loose = ulp and fn is E.recompute_volunteers
        assert_same_topk(fn(a, owners, K), fn(b, owners, K), loose)
        assert_same_topk(fn(a, owners, K, max_pairs=7), fn(b, owners, K, max_pairs=7), loose)
    v, m = np.meshgrid(np.arange(a.n_volunteers), np.arange(a.n_missions), indexing="ij")
    v, m = v.ravel(), m.ravel()
    assert_same_details(E.pair_details(a, v, m), E.pair_details(b, v, m))
    pa, pb = E.score_pairs(a, v, m), E.score_pairs(b, v, m)
    np.testing.assert_array_equal(pa.scores, pb.scores)
    np.testing.assert_array_equal(pa.blocked, pb.blocked)


def rebuild(ix, volunteers, missions, excluded):
    return E.build_index(
        volunteers,
        missions,
        ix.taxonomy,
        excluded=excluded,
        weights=ix.weights,
        params=ix.params,
        today=ix.today,
    )


MISSION_SUBSETS = [[0], [1], [7], [12], [39], [3, 17, 25], list(range(40))]


@pytest.mark.parametrize("seed", [2, 5])
@pytest.mark.parametrize("rows", MISSION_SUBSETS)
def test_with_missions_equals_build_index(seed, rows):
    ix = random_index(seed)
    missions = take(ix.missions, rows)
    excluded = sub_exclusions(ix, rows, by_mission=True)
    expected = rebuild(ix, ix.volunteers, missions, excluded)
    got = ix.with_missions(missions, excluded=excluded)
    assert got.cand_vol is ix.cand_vol  # the volunteer half is reused, not rebuilt
    assert got.v_code is ix.v_code
    assert_same_index_results(expected, got)
    # and each mission's scores are the full index's ones (ties may order differently:
    # tie_key hashes the owner's index)
    full = E.recompute_missions(ix, rows, K)
    part = E.recompute_missions(got, np.arange(len(rows)), K)
    np.testing.assert_array_equal(full.scores, part.scores)


@pytest.mark.parametrize("seed", [2, 5])
@pytest.mark.parametrize("rows", [[0], [1], [42], [149], [10, 60, 61], list(range(150))])
def test_with_volunteers_equals_build_index(seed, rows):
    ix = random_index(seed)
    volunteers = take(ix.volunteers, rows)
    excluded = sub_exclusions(ix, rows, by_mission=False)
    expected = rebuild(ix, volunteers, ix.missions, excluded)
    got = ix.with_volunteers(volunteers, excluded=excluded)
    assert got.cand_mis is ix.cand_mis  # the mission half is reused, not rebuilt
    assert got.ms_skill is ix.ms_skill
    assert_same_index_results(expected, got)
    full = E.recompute_volunteers(ix, rows, K)
    part = E.recompute_volunteers(got, np.arange(len(rows)), K)
    np.testing.assert_array_equal(full.scores, part.scores)


def far_missions():
    """On-site missions in grid cells where the random index has none (and one remote)."""
    n_s = TAX.n_skills
    recs = [
        {"required": {0: 1}, "location_mode": "on_site", "latitude": 49.6, "longitude": 2.4},
        {"required": {1: 2}, "location_mode": "on_site", "latitude": 49.45, "longitude": 3.1},
        {"required": {}, "location_mode": "on_site", "latitude": 48.1, "longitude": 1.7},
        {"required": {4: 1}, "location_mode": "on_site", "latitude": 43.3, "longitude": 5.4},
        {"required": {2: 1}, "location_mode": "hybrid", "latitude": 49.6, "longitude": 2.4},
        {"required": {3: 1}, "location_mode": "on_site", "latitude": 48.8, "longitude": 2.3},
    ]
    return E.MissionArrays.from_records(recs, n_s)


def test_with_missions_in_new_grid_cells_equals_build_index():
    ix = random_index(3)
    vol = ix.volunteers
    # some volunteers with a long reach (gridded far, or matched everywhere)
    vol.max_distance_km[:20] = np.array([100, 200, 260, 300] * 5, dtype=np.float32)
    ix = rebuild(ix, vol, ix.missions, None)
    missions = far_missions()
    extra = set(np.unique(ix.mission_side.cell_keys)) ^ set(ix.cells)
    assert not extra
    for rows in ([0], [3], [0, 1, 2, 3, 4, 5]):
        sub = take(missions, rows)
        got = ix.with_missions(sub)
        assert len(got.cells) > len(ix.cells) or rows == [5]
        assert_same_index_results(rebuild(ix, vol, sub, None), got, ulp=True)
        assert E.recompute_missions(got, np.arange(len(rows)), K).candidates > 0
        # a later with_volunteers on it (cells no longer sorted) is still exact
        vrows = [0, 2, 5, 30]
        again = got.with_volunteers(take(vol, vrows))
        assert_same_index_results(rebuild(ix, take(vol, vrows), sub, None), again, ulp=True)
        # and back: with_missions on the extended index
        assert_same_index_results(
            rebuild(ix, vol, ix.missions, None), got.with_missions(ix.missions), ulp=True
        )


def test_with_missions_and_volunteers_respect_exclusions():
    ix = random_index(4)
    top = E.recompute_missions(ix, np.arange(ix.n_missions), K)
    m = int(np.argmax(np.diff(top.indptr)))  # a mission with a full list
    items = top.row(m)[0]
    assert len(items) == K
    sub = take(ix.missions, [m])
    free = E.recompute_missions(ix.with_missions(sub), [0], K)
    banned = items[:2]
    new_ix = ix.with_missions(sub, excluded=(banned, [0, 0]))
    got = E.recompute_missions(new_ix, [0], K)
    assert not set(got.items.tolist()) & set(banned.tolist())
    free_items = [v for v in free.items.tolist() if v not in banned]
    assert got.items.tolist()[: len(free_items)] == free_items
    assert E.score_pairs(new_ix, banned, [0, 0]).blocked.tolist() == [E.BLOCK_EXCLUDED] * 2

    v = int(banned[0])
    vol_ix = ix.with_volunteers(take(ix.volunteers, [v]), excluded=([0], [m]))
    missions_of_v = E.recompute_volunteers(vol_ix, [0], 50).items.tolist()
    assert m not in missions_of_v
    unexcluded = E.recompute_volunteers(ix.with_volunteers(take(ix.volunteers, [v])), [0], 50)
    assert m in unexcluded.items.tolist()
    with pytest.raises(ValueError, match="out of range"):
        ix.with_missions(sub, excluded=([0], [1]))
    with pytest.raises(ValueError, match="out of range"):
        ix.with_volunteers(take(ix.volunteers, [v]), excluded=([1], [0]))


def snapshot(ix):
    owners_m, owners_v = np.arange(ix.n_missions), np.arange(ix.n_volunteers)
    return (
        E.recompute_missions(ix, owners_m, K),
        E.recompute_volunteers(ix, owners_v, K),
        [m.copy() for m in (ix.cand_vol, ix.cand_vol_t, ix.cand_mis, ix.cand_mis_t)],
        ix.cells.copy(),
        ix.ex_keys.copy(),
    )


def test_with_missions_and_volunteers_do_not_change_the_index():
    ix = random_index(6)
    before = snapshot(ix)
    ix.with_missions(take(ix.missions, [1, 2]), excluded=([0], [1]))
    ix.with_missions(far_missions(), excluded=([3], [0]))
    ix.with_volunteers(take(ix.volunteers, [4]), excluded=([0], [3]))
    after = snapshot(ix)
    for a, b in zip(before[:2], after[:2], strict=True):
        assert_same_topk(a, b)
    for a, b in zip(before[2], after[2], strict=True):
        assert a.shape == b.shape
        assert (a != b).nnz == 0
    np.testing.assert_array_equal(before[3], after[3])
    np.testing.assert_array_equal(before[4], after[4])


def test_settings_are_kept_and_records_work():
    n_s = TAX.n_skills
    vols = E.VolunteerArrays.from_records(
        [volunteer(), volunteer(skills={1: 2}, max_distance_km=5), volunteer(visible=False)],
        n_s,
    )
    mis = E.MissionArrays.from_records([mission(), mission(location_mode="on_site")], n_s)
    params = ScoringParams(related_skill_credit=0.3)
    ix = E.build_index(vols, mis, TAX, weights={"fairness": 0.4}, params=params, today=TODAY)
    new = E.MissionArrays.from_records(
        [mission(start_date=TODAY + dt.timedelta(days=3), latitude=PARIS[0] + 0.01)], n_s
    )
    got = ix.with_missions(new)
    assert (got.weights, got.params, got.today) == (ix.weights, ix.params, ix.today)
    expected = E.build_index(vols, new, TAX, weights={"fairness": 0.4}, params=params, today=TODAY)
    assert_same_index_results(expected, got)
    one = E.VolunteerArrays.from_records([volunteer(skills={1: 4})], n_s)
    assert_same_index_results(
        E.build_index(one, mis, TAX, weights={"fairness": 0.4}, params=params, today=TODAY),
        ix.with_volunteers(one),
    )
    # empty replacements
    none = E.MissionArrays(required=sparse.csr_matrix((0, n_s), dtype=np.int8))
    assert len(E.recompute_volunteers(ix.with_missions(none), [0, 1], K).items) == 0
    with pytest.raises(ValueError, match="columns"):
        ix.with_missions(E.MissionArrays.from_records([mission()], n_s + 1))
