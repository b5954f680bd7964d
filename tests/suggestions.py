"""Store suggestion lists with chosen pairs, for tests of the pages and the API that
read them (the engine's own lists are tested in tests/test_matching_service.py)."""

import numpy as np
from django.utils import timezone

from matching import engine
from matching.models import SuggestionList
from matching.storage import encode
from matching.weights import FACTORS


def details_for(n: int, *, scores, km, max_km=30, small=False) -> engine.PairDetails:
    """Pairs with these scores, an on-site mission at ``km[i]`` km (remote when None) of
    a volunteer ready to travel ``max_km`` km, no skill listed, no date, French only:
    each explanation names its distance. ``small``: the missions are of small
    associations with no applicant yet."""
    distance = np.array([np.nan if d is None else d for d in km], dtype=np.float32)
    false, zeros = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float32)
    return engine.PairDetails(
        volunteers=np.arange(n),
        missions=np.arange(n),
        scores=np.asarray(scores, dtype=np.float32),
        factors=np.tile(np.linspace(0.1, 0.9, len(FACTORS), dtype=np.float32), (n, 1)),
        blocked=np.zeros(n, dtype=np.int64),
        distance_km=distance,
        max_distance_km=np.full(n, max_km, dtype=np.float32),
        location_mode=np.where(np.isnan(distance), engine.REMOTE, engine.ON_SITE).astype(np.int8),
        same_departement=false,
        same_region=false,
        same_cause=false,
        cause_stated=false,
        dates_fit=zeros + 1,
        mission_has_dates=false,
        mission_start=np.full(n, engine.OPEN_DATE, dtype=np.int32),
        mission_end=np.full(n, engine.OPEN_DATE, dtype=np.int32),
        available_from=np.full(n, engine.OPEN_DATE, dtype=np.int32),
        available_until=np.full(n, engine.OPEN_DATE, dtype=np.int32),
        hours_fit=zeros + 1,
        need_hours_month=zeros,
        hours_per_month=zeros + 10,
        missing_languages=np.zeros(n, dtype=np.uint32),
        mission_languages=np.ones(n, dtype=np.uint32),
        preferred_seniority=np.full(n, -1, dtype=np.int8),
        seniority=np.full(n, -1, dtype=np.int8),
        programme_eligible=false,
        no_applicant=false | small,
        small_association=false | small,
        entry_pair=np.zeros(0, dtype=np.int64),
        entry_skill=np.zeros(0, dtype=np.int64),
        entry_required=np.zeros(0, dtype=bool),
        entry_min_level=np.zeros(0, dtype=np.int64),
        entry_level=np.zeros(0, dtype=np.int64),
        entry_status=np.zeros(0, dtype=np.int8),
        entry_credit=np.zeros(0, dtype=np.float32),
        entry_via=np.zeros(0, dtype=np.int64),
        entry_via_level=np.zeros(0, dtype=np.int64),
        weights=np.full(len(FACTORS), 1 / len(FACTORS), dtype=np.float32),
    )


def store_list(
    *, mission=None, volunteer=None, others, ranks=None, scores=None, km=None, small=False
):
    """Store the list of ``mission`` (volunteers ``others``) or of ``volunteer``
    (missions ``others``), best first. Pair i is ranked ``ranks[i]`` (default i + 1),
    scored ``scores[i]`` (default 0.9 - i / 100) and its explanation says ``km[i]`` km
    (default 10 × its rank; None for a remote mission)."""
    n = len(others)
    ranks = list(range(1, n + 1)) if ranks is None else list(ranks)
    scores = [0.9 - i / 100 for i in range(n)] if scores is None else scores
    km = [10 * rank for rank in ranks] if km is None else km
    owner = mission or volunteer
    others_pks = np.array([getattr(o, "pk", o) for o in others], dtype=np.int64)
    ((_owner, size, items),) = encode(
        np.full(n, owner.pk, dtype=np.int64),
        others_pks,
        np.array(ranks),
        details_for(n, scores=scores, km=km, small=small),
        np.zeros(0, dtype=np.int64),
    )
    field = "mission" if mission is not None else "volunteer"
    row, _created = SuggestionList.objects.update_or_create(
        **{field: owner},
        defaults={
            "size": size,
            "items": items,
            "engine_version": engine.ENGINE_VERSION,
            "computed_at": timezone.now(),
        },
    )
    return row
