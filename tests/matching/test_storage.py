"""A stored suggestion list gives back exactly what was computed (matching.storage)."""

import numpy as np
import pytest

from matching import engine as E
from matching import explain as X
from matching import storage

from .test_engine import NAMES, random_index

# Skill primary keys differ from the engine's indices: the stored list keeps the keys.
SKILL_PKS = np.arange(len(NAMES.codes), dtype=np.int64) * 10 + 101


def stored_lists(ix, direction: str):
    """Every owner's top 5 of a random index, encoded, with what was encoded."""
    if direction == "missions":
        topk = E.recompute_missions(ix, np.arange(ix.n_missions), 5)
        owners, items = topk.pairs()
        volunteers, missions = items, owners
    else:
        topk = E.recompute_volunteers(ix, np.arange(ix.n_volunteers), 5)
        owners, items = topk.pairs()
        volunteers, missions = owners, items
    details = E.pair_details(ix, volunteers, missions)
    # owner and item primary keys: engine index + 1000 (missions) / + 5000 (volunteers)
    offset_owner, offset_item = (1000, 5000) if direction == "missions" else (5000, 1000)
    encoded = list(
        storage.encode(owners + offset_owner, items + offset_item, topk.ranks(), details, SKILL_PKS)
    )
    return topk, details, encoded, offset_owner, offset_item


@pytest.mark.parametrize("direction", ["missions", "volunteers"])
def test_a_stored_list_gives_back_its_pairs_and_their_explanations(direction):
    ix = random_index(3)
    topk, details, encoded, offset_owner, offset_item = stored_lists(ix, direction)
    expected = X.explain_details(details, NAMES)
    assert [owner for owner, _size, _items in encoded] == sorted(
        set((topk.owners[np.diff(topk.indptr) > 0] + offset_owner).tolist())
    )
    position = 0
    for owner, size, items in encoded:
        stored = storage.decode(items)
        assert len(stored) == size
        row = topk.owners.tolist().index(owner - offset_owner)
        want_items, want_scores, _factors = topk.row(row)
        assert stored.others == (want_items + offset_item).tolist()
        assert stored.pairs["rank"].tolist() == list(range(1, size + 1))
        np.testing.assert_allclose(stored.pairs["score"], want_scores)
        decoded = stored.details(owner=owner, owner_is_mission=direction == "missions")
        decoded.entry_skill = np.searchsorted(SKILL_PKS, decoded.entry_skill)
        held = decoded.entry_via >= 0
        decoded.entry_via = np.where(held, np.searchsorted(SKILL_PKS, decoded.entry_via), -1)
        again = X.explain_details(decoded, NAMES)
        assert [(e.text_fr, e.text_en) for e in again] == [
            (e.text_fr, e.text_en) for e in expected[position : position + size]
        ]
        np.testing.assert_allclose(
            [e.values for e in again], details.factors[position : position + size], atol=1e-6
        )
        position += size
    assert position == len(details.scores)


def test_taking_pairs_keeps_their_own_skill_entries():
    ix = random_index(5)
    _topk, details, encoded, _o, _i = stored_lists(ix, "missions")
    owner, size, items = next(e for e in encoded if e[1] >= 3)
    stored = storage.decode(items)
    taken = stored.take([2, 0])
    assert taken.others == [stored.others[2], stored.others[0]]
    decoded = taken.details(owner=owner, owner_is_mission=True)
    full = stored.details(owner=owner, owner_is_mission=True)
    for pair, source in ((0, 2), (1, 0)):
        assert (
            decoded.entry_skill[decoded.entry_pair == pair].tolist()
            == full.entry_skill[full.entry_pair == source].tolist()
        )
    assert len(stored.take([])) == 0


@pytest.mark.parametrize("data", [b"", b"\x01\x00", b"\x07" + bytes(60)])
def test_decoding_something_else_is_refused(data):
    with pytest.raises(ValueError):
        storage.decode(data)


def test_a_list_is_much_smaller_than_its_rows_were():
    """50 pairs with their facts fit in a few kilobytes (the rows they replace held two
    sentences and a JSON object each, about 550 bytes)."""
    ix = random_index(7, n_v=400, n_m=60)
    topk = E.recompute_missions(ix, [0], 50)
    owners, items = topk.pairs()
    details = E.pair_details(ix, items, owners)
    ((_owner, size, data),) = storage.encode(owners, items, topk.ranks(), details, SKILL_PKS)
    assert len(data) < 150 * size
