"""Explanations of matching scores, factor by factor, in French and in English.

Pure Python over :func:`matching.engine.pair_details` (no Django): skill names come from
a :class:`SkillNames` lookup the caller builds (from the database, or from
``taxonomy.reference_data``)::

    names = SkillNames.from_reference(SKILLS)
    explanation = explain_pair(index, volunteer, mission, names, audience=VOLUNTEER)
    explanation.text_fr
    # "Couvre 3 des 4 compétences requises : Site web niveau 3, Comptabilité niveau 2 ;
    #  Gestion de paie, proche de Fiscalité demandée ; manque : Cybersécurité
    #  · sur place, 12 km : dans vos 30 km · une cause que vous soutenez
    #  · disponible du 3 mars au 30 juin 2027 · vos 20 h/mois pour environ 10 h/mois demandées"
    explanation.as_json()  # [{"code": "skills", "value": 0.81, "weight": 0.36, ...}, ...]
    explanation.shares  # (45, 12, 14, 14, 8, 0, 3, 0, 4): percents of the score

Each :class:`Explanation` carries the structured list of the nine factors (code, value,
weight, a French and an English phrase) and the two joined sentences, which keep only
what a person needs to read, each reason with its facts: the skills (the one held and
the one it stands for, the levels, the nice-to-have ones held and missing), the place
(the distance against the volunteer's own limit), the cause, the dates and hours; the
rest when it is notable (a language not spoken, a seniority asked for, a programme).

The wording depends on who reads it (``audience``): the volunteer reads "vos 30 km";
the association reads "les 30 km du bénévole" and nothing about its own mission (a
small association, no applicant yet), which is no reason about the person; staff read
the association's wording with every reason.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias, TypeVar

import numpy as np

from . import engine as E
from .weights import FACTORS

SEPARATOR = " · "

#: Who reads an explanation.
VOLUNTEER = "volunteer"  # the person suggested: "vos 30 km", and reasons about the mission
ASSOCIATION = "association"  # the mission's association: "du bénévole", nothing on its mission
STAFF = "staff"  # the platform's team: the association's wording, every reason
AUDIENCES = (VOLUNTEER, ASSOCIATION, STAFF)

#: Language names (same codes as taxonomy.choices.Language).
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "fr": ("français", "French"),
    "en": ("anglais", "English"),
    "es": ("espagnol", "Spanish"),
    "de": ("allemand", "German"),
    "it": ("italien", "Italian"),
    "pt": ("portugais", "Portuguese"),
    "ar": ("arabe", "Arabic"),
    "zh": ("chinois", "Chinese"),
    "ru": ("russe", "Russian"),
    "uk": ("ukrainien", "Ukrainian"),
    "tr": ("turc", "Turkish"),
    "fsl": ("langue des signes française", "French Sign Language"),
}
SENIORITY_NAMES: tuple[tuple[str, str], ...] = (
    ("junior", "junior"),
    ("expérimenté", "experienced"),
    ("senior", "senior"),
    ("retraité", "retiree"),
)
FORMAT_NAMES: tuple[tuple[str, str], ...] = (
    ("à distance", "remote"),
    ("sur place", "on-site"),
    ("hybride", "hybrid"),
)
BLOCK_NAMES: dict[int, tuple[str, str]] = {
    E.BLOCK_INVISIBLE: ("profil masqué", "hidden profile"),
    E.BLOCK_CLOSED: ("mission fermée", "mission closed"),
    E.BLOCK_EXCLUDED: ("déjà candidat ou écarté", "already applied or hidden"),
    E.BLOCK_FORMAT: ("format non accepté", "format not accepted"),
    E.BLOCK_DISTANCE: ("trop loin", "too far"),
    E.BLOCK_PROGRAMME: ("programme réservé", "reserved programme"),
    E.BLOCK_NO_SKILL: ("aucune compétence en commun", "no skill in common"),
}


@dataclass(frozen=True)
class SkillNames:
    """Skill index → code, French name, English name."""

    codes: Sequence[str]
    names_fr: Sequence[str]
    names_en: Sequence[str]

    def __post_init__(self) -> None:
        if not len(self.codes) == len(self.names_fr) == len(self.names_en):
            raise ValueError("codes, names_fr and names_en must have the same length")

    @classmethod
    def from_reference(cls, skills: Sequence[tuple[str, str, str, str]]) -> SkillNames:
        """From ``taxonomy.reference_data.SKILLS`` rows (code, family, name_fr, name_en)."""
        return cls(
            tuple(row[0] for row in skills),
            tuple(row[2] for row in skills),
            tuple(row[3] for row in skills),
        )

    @classmethod
    def coerce(cls, names: SkillNamesLike) -> SkillNames:
        """A SkillNames, or one from ``{"fr": [...], "en": [...]}`` (codes optional)."""
        if isinstance(names, SkillNames):
            return names
        fr, en = list(names["fr"]), list(names["en"])
        return cls(tuple(names.get("codes", [str(i) for i in range(len(fr))])), fr, en)

    def fr(self, skill: int) -> str:
        return self.names_fr[skill]

    def en(self, skill: int) -> str:
        return self.names_en[skill]


# Skill names as a SkillNames, or {"fr": [...], "en": [...], "codes": [...] (optional)}.
SkillNamesLike: TypeAlias = SkillNames | Mapping[str, Sequence[str]]
# One pair's mission skills in the mission's order: ((skill, required, status, min level,
# level, the volunteer's skill behind a related or same-family credit or -1, its level), ...)
SkillSignature: TypeAlias = tuple[tuple[int, bool, int, int, int, int, int], ...]


class FactorExplanation(NamedTuple):
    code: str  # one of matching.weights.FACTORS
    value: float  # the factor, in [0, 1]
    weight: float  # its normalised weight (weights sum to 1)
    text_fr: str
    text_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "text_fr": self.text_fr,
            "text_en": self.text_en,
        }


class Explanation(NamedTuple):
    """One pair's explanation: the two sentences, and the factors (code, value, weight,
    French and English phrase) in :data:`matching.weights.FACTORS` order."""

    score: float
    text_fr: str
    text_en: str
    values: tuple[float, ...]  # factor values, FACTORS order
    weights: tuple[float, ...]  # normalised weights, FACTORS order
    texts_fr: tuple[str, ...]
    texts_en: tuple[str, ...]
    blocked: int = 0  # engine.BLOCK_* bits, 0 when the pair may be suggested

    @property
    def factors(self) -> tuple[FactorExplanation, ...]:
        return tuple(
            FactorExplanation(*row)
            for row in zip(
                FACTORS, self.values, self.weights, self.texts_fr, self.texts_en, strict=True
            )
        )

    @property
    def shares(self) -> tuple[int, ...]:
        """Each factor's share of the score in percents (sum 100), FACTORS order."""
        return factor_shares(self.values, self.weights)

    def as_json(self) -> list[dict[str, Any]]:
        """The factor list, JSON-ready (what HiddenSuggestion.factors keeps)."""
        return [
            {"code": c, "value": round(v, 4), "weight": round(w, 4), "text_fr": f, "text_en": e}
            for c, v, w, f, e in zip(
                FACTORS, self.values, self.weights, self.texts_fr, self.texts_en, strict=True
            )
        ]


def explain_pair(
    ix: E.MatchingIndex,
    volunteer: int,
    mission: int,
    names: SkillNamesLike,
    *,
    audience: str = STAFF,
) -> Explanation:
    """The explanation of one pair."""
    return explain_pairs(ix, [volunteer], [mission], names, audience=audience)[0]


def explain_pairs(
    ix: E.MatchingIndex,
    volunteers: Sequence[int] | np.ndarray,
    missions: Sequence[int] | np.ndarray,
    names: SkillNamesLike,
    *,
    audience: str = STAFF,
) -> list[Explanation]:
    """Explanations of pairs ``(volunteers[i], missions[i])`` (see also :func:`explain_top`)."""
    return explain_details(E.pair_details(ix, volunteers, missions), names, audience=audience)


def explain_details(
    details: E.PairDetails, names: SkillNamesLike, *, audience: str = STAFF
) -> list[Explanation]:
    """Explanations from :func:`matching.engine.pair_details`.

    ``names``: a :class:`SkillNames`, or a mapping ``{"fr": [...], "en": [...]}`` of skill
    names by engine skill index. ``audience``: who reads them (:data:`VOLUNTEER`,
    :data:`ASSOCIATION` or :data:`STAFF`). The facts are gathered vectorised; each
    phrase is computed once per distinct situation (a mission's skill statuses, a
    distance in km, a share of the dates...) and reused, so wording costs a few µs a pair.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    names = SkillNames.coerce(names)
    n = len(details.volunteers)

    def col(name: str) -> list[Any]:
        values: list[Any] = getattr(details, name).tolist()
        return values

    scores, blocked, mode = col("scores"), col("blocked"), col("location_mode")
    km = np.where(
        np.isnan(details.distance_km), -1, np.round(np.nan_to_num(details.distance_km))
    ).astype(np.int64)
    km[(km == 0) & (details.distance_km < 1)] = -2  # under 1 km
    limit = np.where(
        np.isnan(details.max_distance_km), -1, np.round(np.nan_to_num(details.max_distance_km))
    ).astype(np.int64)
    place_keys = zip(
        mode,
        km.tolist(),
        col("same_departement"),
        col("same_region"),
        limit.tolist(),
        strict=True,
    )
    cause_keys = (details.same_cause.astype(np.int8) * 2 + details.cause_stated).tolist()
    pct = np.round(details.dates_fit * 100).astype(np.int64)
    date_keys = zip(
        pct.tolist(),
        col("mission_has_dates"),
        col("mission_start"),
        col("mission_end"),
        col("available_from"),
        col("available_until"),
        strict=True,
    )
    need = np.round(details.need_hours_month).astype(np.int64)
    short = (need > 0) & (details.hours_fit < 0.999)
    hours_keys = zip(
        np.round(details.hours_per_month.astype(np.float64), 1).tolist(),
        need.tolist(),
        short.tolist(),
        strict=True,
    )
    lang_keys = zip(col("missing_languages"), col("mission_languages"), strict=True)
    sen_keys = zip(col("preferred_seniority"), col("seniority"), strict=True)
    format_keys = zip(mode, (details.factors[:, FACTORS.index("format")] > 0).tolist(), strict=True)
    programme = col("programme_eligible")
    fair_keys = (details.small_association * 2 + details.no_applicant).tolist()
    values = details.factors.tolist()
    weights = tuple(details.weights.tolist())
    signatures = _skill_signatures(details, n)

    skills_memo: _Memo[SkillSignature, tuple[str, ...]] = _Memo(
        lambda key: _skills_text(key, names)
    )
    place_memo: _Memo[Any, tuple[str, str]] = _Memo(lambda key: _place_text(key, audience))
    dates_memo: _Memo[Any, tuple[str, str]] = _Memo(_dates_text)
    hours_memo: _Memo[Any, tuple[str, str]] = _Memo(lambda key: _hours_text(key, audience))
    lang_memo: _Memo[Any, tuple[str, str, str, str]] = _Memo(
        lambda key: _language_text(key, audience)
    )
    sen_memo: _Memo[Any, tuple[str, str, str, str]] = _Memo(
        lambda key: _seniority_text(key, audience)
    )
    format_memo: _Memo[Any, tuple[str, str]] = _Memo(_format_text)
    blocked_memo = _Memo(_blocked_text)
    blocked_memo[0] = ("", "")
    cause_texts = _CAUSE_TEXTS[audience == VOLUNTEER]
    programme_texts = _PROGRAMME_TEXTS[audience == VOLUNTEER]
    # The association knows its own mission: what is said about it is no reason about
    # the volunteer, so it only reads the fairness factor's neutral phrase.
    fairness_texts = _FAIRNESS_TEXTS_OWN if audience == ASSOCIATION else _FAIRNESS_TEXTS

    out = []
    make, join = Explanation._make, SEPARATOR.join
    rows = zip(
        signatures,
        place_keys,
        cause_keys,
        date_keys,
        hours_keys,
        lang_keys,
        sen_keys,
        format_keys,
        strict=True,
    )
    for i, (sig, pk, ck, dk, hk, lk, sk, fk) in enumerate(rows):
        skills = skills_memo[sig]
        place = place_memo[pk]
        cause = cause_texts[ck]
        dates = dates_memo[dk]
        hours = hours_memo[hk]
        lang = lang_memo[lk]
        sen = sen_memo[sk]
        fmt = format_memo[fk]
        prog = programme_texts[programme[i]]
        fair = fairness_texts[fair_keys[i]]
        time_fr = f"{dates[0]}, {hours[0]}" if hours[0] else dates[0]
        time_en = f"{dates[1]}, {hours[1]}" if hours[1] else dates[1]
        lead = blocked_memo[blocked[i]]
        parts_fr = (
            lead[0],
            skills[2],
            skills[4],
            place[0],
            cause[2],
            dates[0],
            hours[0],
            lang[2],
            sen[2],
            prog[2],
            fair[2],
        )
        parts_en = (
            lead[1],
            skills[3],
            skills[5],
            place[1],
            cause[3],
            dates[1],
            hours[1],
            lang[3],
            sen[3],
            prog[3],
            fair[3],
        )
        out.append(
            make(  # positional: the field order of Explanation
                (
                    scores[i],
                    join(filter(None, parts_fr)),
                    join(filter(None, parts_en)),
                    tuple(values[i]),
                    weights,
                    (
                        skills[0],
                        cause[0],
                        place[0],
                        time_fr,
                        lang[0],
                        sen[0],
                        fmt[0],
                        prog[0],
                        fair[0],
                    ),
                    (
                        skills[1],
                        cause[1],
                        place[1],
                        time_en,
                        lang[1],
                        sen[1],
                        fmt[1],
                        prog[1],
                        fair[1],
                    ),
                    blocked[i],
                )
            )
        )
    return out


def factor_shares(values: Sequence[float], weights: Sequence[float]) -> tuple[int, ...]:
    """Each factor's share of the score, in whole percents that add up to 100.

    The score is the weighted mean ``sum(weight × value)``, so a factor's share is its
    ``weight × value`` over that sum; rounding gives the leftover points to the largest
    remainders (all 0 when the score is 0)."""
    parts = [
        w * v if math.isfinite(w * v) and w > 0 and v > 0 else 0.0
        for v, w in zip(values, weights, strict=True)
    ]
    total = sum(parts)
    if total <= 0:
        return (0,) * len(parts)
    exact = [100 * part / total for part in parts]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return tuple(shares)


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Memo(dict[_K, _V]):
    """A dict that computes (and keeps) a missing value with ``fn(key)``."""

    def __init__(self, fn: Callable[[_K], _V]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.fn(key)
        return value


def _skill_signatures(details: E.PairDetails, n: int) -> list[SkillSignature]:
    """Per pair: ((skill, required, status, min level, level, via, via level), ...) in
    the mission's order."""
    result: list[list[tuple[int, bool, int, int, int, int, int]]] = [[] for _ in range(n)]
    for pair, entry in zip(
        details.entry_pair.tolist(),
        zip(
            details.entry_skill.tolist(),
            details.entry_required.tolist(),
            details.entry_status.tolist(),
            details.entry_min_level.tolist(),
            details.entry_level.tolist(),
            details.entry_via.tolist(),
            details.entry_via_level.tolist(),
            strict=True,
        ),
        strict=True,
    ):
        result[pair].append(entry)
    return [tuple(entries) for entries in result]


def _languages(mask: int) -> list[tuple[str, str]]:
    return [LANGUAGE_NAMES[code] for bit, code in enumerate(E.LANGUAGE_CODES) if mask & (1 << bit)]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_SkillEntry: TypeAlias = tuple[int, bool, int, int, int, int, int]


def _held(entry: _SkillEntry, names: SkillNames) -> tuple[str, str]:
    """How the volunteer holds one of the mission's skills, named with the levels."""
    skill, _required, status, min_level, level, via, via_level = entry
    fr, en = names.fr(skill), names.en(skill)
    if status == E.SKILL_MET:
        return f"{fr} niveau {level}", f"{en} level {level}"
    if status == E.SKILL_BELOW:
        return (
            f"{fr} : niveau {level}, {min_level} demandé",
            f"{en}: level {level}, {min_level} asked",
        )
    # related: the volunteer's own skill first, then the one it stands for
    if via < 0:
        return f"compétence proche de {fr} demandée", f"a skill related to {en} (asked)"
    held_fr = f"{names.fr(via)}, proche de {fr} demandée"
    held_en = f"{names.en(via)}, related to {en} (asked)"
    if via_level < min_level:
        held_fr += f" (niveau {via_level}, {min_level} demandé)"
        held_en += f" (level {via_level}, {min_level} asked)"
    return held_fr, held_en


def _lacking(entry: _SkillEntry, names: SkillNames) -> tuple[str, str]:
    """A skill the volunteer does not hold (with the same-family skill they have, if any)."""
    skill, _required, status, _min_level, _level, via, _via_level = entry
    fr, en = names.fr(skill), names.en(skill)
    if status == E.SKILL_FAMILY and via >= 0:
        return f"{fr} (seulement {names.fr(via)}, de la même famille)", (
            f"{en} (only {names.en(via)}, same family)"
        )
    return fr, en


_HELD = (E.SKILL_MET, E.SKILL_BELOW, E.SKILL_RELATED)


def _skills_text(entries: SkillSignature, names: SkillNames) -> tuple[str, str, str, str, str, str]:
    """(factor phrase fr, en, sentence part fr, en, nice-to-have part fr, en)."""
    required = [e for e in entries if e[1]]
    nice = [e for e in entries if not e[1]]
    if not entries:
        fr, en = "mission ouverte à tous les profils", "open to every profile"
        return fr, en, _capitalised(fr), _capitalised(en), "", ""
    if required:
        group, noun_fr, noun_en = required, "requise", "required"
    else:
        group, noun_fr, noun_en = nice, "souhaitée", "nice-to-have"
    total = len(group)
    met = sum(1 for e in group if e[2] == E.SKILL_MET)
    if total == 1:
        status = group[0][2]
        if met:
            fr, en = f"couvre la compétence {noun_fr}", f"covers the {noun_en} skill"
        elif status in _HELD:
            fr = f"couvre en partie la compétence {noun_fr}"
            en = f"partly covers the {noun_en} skill"
        else:
            fr = f"ne couvre pas la compétence {noun_fr}"
            en = f"does not cover the {noun_en} skill"
    elif met == 0:
        fr = f"ne couvre aucune des {total} compétences {noun_fr}s"
        en = f"covers none of the {total} {noun_en} skills"
    elif met == total:
        fr = f"couvre les {total} compétences {noun_fr}s"
        en = f"covers all {total} {noun_en} skills"
    else:
        fr = f"couvre {met} des {total} compétences {noun_fr}s"
        en = f"covers {met} of the {total} {noun_en} skills"
    notes_fr, notes_en = [], []
    for wanted in (E.SKILL_MET, E.SKILL_BELOW, E.SKILL_RELATED):
        held = [_held(e, names) for e in group if e[2] == wanted]
        if held:
            notes_fr.append(", ".join(h[0] for h in held))
            notes_en.append(", ".join(h[1] for h in held))
    lacking = [_lacking(e, names) for e in group if e[2] not in _HELD]
    if lacking:
        notes_fr.append("manque : " + ", ".join(h[0] for h in lacking))
        notes_en.append("missing: " + ", ".join(h[1] for h in lacking))
    fr += " : " + " ; ".join(notes_fr)
    en += ": " + "; ".join(notes_en)
    nice_fr = nice_en = ""
    if required and nice:
        held = [_held(e, names) for e in nice if e[2] in _HELD]
        lacking = [_lacking(e, names) for e in nice if e[2] not in _HELD]
        if held:
            nice_fr = "compétences souhaitées : " + ", ".join(h[0] for h in held)
            nice_en = "nice-to-have skills: " + ", ".join(h[1] for h in held)
            if lacking:
                nice_fr += " (manque : " + ", ".join(h[0] for h in lacking) + ")"
                nice_en += " (missing: " + ", ".join(h[1] for h in lacking) + ")"
        else:
            nice_fr = "aucune des compétences souhaitées : " + ", ".join(h[0] for h in lacking)
            nice_en = "none of the nice-to-have skills: " + ", ".join(h[1] for h in lacking)
    factor_fr = f"{fr} ; {nice_fr}" if nice_fr else fr
    factor_en = f"{en}; {nice_en}" if nice_en else en
    return factor_fr, factor_en, _capitalised(fr), _capitalised(en), nice_fr, nice_en


def _place_text(key: tuple[int, int, bool, bool, int], audience: str) -> tuple[str, str]:
    mode, km, same_departement, same_region, limit = key
    if mode == E.REMOTE:
        return "à distance", "remote"
    prefix_fr, prefix_en = ("hybride", "hybrid") if mode == E.HYBRID else ("sur place", "on-site")
    if km == -1:
        if same_departement:
            where_fr, where_en = "même département", "same département"
        elif same_region:
            where_fr, where_en = "même région", "same région"
        else:
            where_fr, where_en = "lieu à préciser", "place to be confirmed"
        return f"{prefix_fr}, {where_fr}", f"{prefix_en}, {where_en}"
    far_fr, far_en = ("moins d'1 km", "under 1 km") if km == -2 else (f"{km} km", f"{km} km")
    if limit < 0:
        return f"{prefix_fr}, {far_fr}", f"{prefix_en}, {far_en}"
    beyond = km > limit
    if audience == VOLUNTEER:
        if beyond:
            return (
                f"{prefix_fr}, {far_fr} : au-delà de vos {limit} km",
                f"{prefix_en}, {far_en}: beyond your {limit} km",
            )
        return (
            f"{prefix_fr}, {far_fr} : dans vos {limit} km",
            f"{prefix_en}, {far_en}: within your {limit} km",
        )
    if beyond:
        return (
            f"{prefix_fr}, à {far_fr}, au-delà des {limit} km du bénévole",
            f"{prefix_en}, {far_en} away, beyond the volunteer's {limit} km",
        )
    return (
        f"{prefix_fr}, à {far_fr}, dans les {limit} km du bénévole",
        f"{prefix_en}, {far_en} away, within the volunteer's {limit} km",
    )


# cause key: same_cause * 2 + cause_stated → (phrase fr, en, sentence part fr, en),
# indexed by "the volunteer reads it"
_CAUSE_TEXTS = {
    False: {
        0: ("ouvert à toutes les causes", "open to any cause", "", ""),
        1: ("autre cause", "another cause", "autre cause", "another cause"),
        2: ("même cause", "same cause", "même cause", "same cause"),
        3: ("même cause", "same cause", "même cause", "same cause"),
    },
    True: {
        0: ("ouvert à toutes les causes", "open to any cause", "", ""),
        1: ("hors de vos causes", "not one of your causes") * 2,
        2: ("une cause que vous soutenez", "a cause you support") * 2,
        3: ("une cause que vous soutenez", "a cause you support") * 2,
    },
}

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day(ordinal: int, *, year: bool = True) -> tuple[str, str]:
    day = dt.date.fromordinal(ordinal)
    fr = f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]}"
    en = f"{day.day} {MONTHS_EN[day.month - 1]}"
    if year:
        fr, en = f"{fr} {day.year}", f"{en} {day.year}"
    return fr, en


def _period(start: int, end: int) -> tuple[str, str]:
    """ "du 3 mars au 30 juin 2027", "à partir du…", "jusqu'au…", or "" when open."""
    if start > 0 and end > 0:
        same_year = dt.date.fromordinal(start).year == dt.date.fromordinal(end).year
        a, b = _day(start, year=not same_year), _day(end)
        return f"du {a[0]} au {b[0]}", f"from {a[1]} to {b[1]}"
    if start > 0:
        a = _day(start)
        return f"à partir du {a[0]}", f"from {a[1]}"
    if end > 0:
        b = _day(end)
        return f"jusqu'au {b[0]}", f"until {b[1]}"
    return "", ""


def _dates_text(key: tuple[int, bool, int, int, int, int]) -> tuple[str, str]:
    pct, has_dates, start, end, available_from, available_until = key
    mission_fr, mission_en = _period(start, end) if has_dates else ("", "")
    own_fr, own_en = _period(available_from, available_until)
    if pct >= 100:
        if mission_fr:
            return f"disponible {mission_fr}", f"available {mission_en}"
        if has_dates:  # a list stored before the dates were kept with it
            return "disponible aux dates", "available on the dates"
        return "disponible, mission sans dates fixes", "available, no fixed dates"
    period_fr = f"la période {mission_fr}" if mission_fr else "la période prévue"
    period_en = f"the period {mission_en}" if mission_en else "the expected period"
    if pct <= 0:
        fr, en = f"pas disponible sur {period_fr}", f"not available during {period_en}"
        if own_fr:
            fr, en = f"{fr} (disponible {own_fr})", f"{en} (available {own_en})"
        return fr, en
    if own_fr:
        return (
            f"disponible {own_fr} : {pct} % de {period_fr}",
            f"available {own_en}: {pct}% of {period_en}",
        )
    return f"disponible sur {pct} % de {period_fr}", f"available for {pct}% of {period_en}"


def _hours_text(key: tuple[float, int, bool], audience: str) -> tuple[str, str]:
    have, need, short = key
    if need <= 0:
        return "", ""
    if audience == VOLUNTEER:
        if short:
            return (
                f"vos {have:g} h/mois, moins que les {need} h/mois demandées environ",
                f"your {have:g} h a month, less than the about {need} h a month asked",
            )
        return (
            f"vos {have:g} h/mois pour environ {need} h/mois demandées",
            f"your {have:g} h a month for about {need} h a month asked",
        )
    if short:
        return (
            f"{have:g} h/mois du bénévole, moins que les {need} h/mois demandées environ",
            f"the volunteer's {have:g} h a month, less than the about {need} h a month asked",
        )
    return (
        f"{have:g} h/mois du bénévole pour environ {need} h/mois demandées",
        f"the volunteer's {have:g} h a month for about {need} h a month asked",
    )


def _language_text(key: tuple[int, int], audience: str) -> tuple[str, str, str, str]:
    missing_mask, asked_mask = key
    missing = _languages(missing_mask)
    if missing:
        if audience == VOLUNTEER:
            fr = "langue demandée que vous ne parlez pas : " + ", ".join(f for f, _e in missing)
            en = "language asked that you do not speak: " + ", ".join(e for _f, e in missing)
        else:
            fr = "ne parle pas : " + ", ".join(f for f, _e in missing)
            en = "does not speak: " + ", ".join(e for _f, e in missing)
        return fr, en, fr, en
    asked = _languages(asked_mask)
    listed_fr, listed_en = " et ".join(f for f, _e in asked), " and ".join(e for _f, e in asked)
    if audience == VOLUNTEER:
        fr, en = f"vous parlez {listed_fr}", f"you speak {listed_en}"
    else:
        fr, en = f"parle {listed_fr}", f"speaks {listed_en}"
    if asked == [LANGUAGE_NAMES["fr"]]:
        return fr, en, "", ""
    return fr, en, fr, en


def _seniority_text(key: tuple[int, int], audience: str) -> tuple[str, str, str, str]:
    wanted, own = key
    if wanted < 0:
        return "pas de séniorité demandée", "no seniority asked for", "", ""
    w_fr, w_en = SENIORITY_NAMES[wanted]
    yours = audience == VOLUNTEER
    if own < 0:
        if yours:
            fr = f"profil {w_fr} souhaité, le vôtre n'est pas renseigné"
            en = f"{w_en} profile wanted, yours is not stated"
        else:
            fr = f"profil {w_fr} souhaité, celui du bénévole n'est pas renseigné"
            en = f"{w_en} profile wanted, the volunteer's is not stated"
    elif own == wanted:
        if yours:
            fr, en = f"votre profil {w_fr}, comme souhaité", f"your {w_en} profile, as wanted"
        else:
            fr, en = f"profil {w_fr}, comme souhaité", f"{w_en} profile, as wanted"
    else:
        o_fr, o_en = SENIORITY_NAMES[own]
        if yours:
            fr = f"votre profil {o_fr}, {w_fr} souhaité"
            en = f"your {o_en} profile, {w_en} wanted"
        else:
            fr, en = f"profil {o_fr}, {w_fr} souhaité", f"{o_en} profile, {w_en} wanted"
    return fr, en, fr, en


def _format_text(key: tuple[int, bool]) -> tuple[str, str]:
    mode, accepted = key
    mode_fr, mode_en = FORMAT_NAMES[mode]
    if accepted:
        return f"accepte le format {mode_fr}", f"accepts {mode_en} missions"
    return f"n'accepte pas le format {mode_fr}", f"does not accept {mode_en} missions"


# indexed by "the volunteer reads it", then by programme eligibility
_PROGRAMME_TEXTS = {
    False: {
        True: ("éligible au programme de son entreprise", "eligible for their company's programme")
        * 2,
        False: ("hors programme d'entreprise", "no company programme", "", ""),
    },
    True: {
        True: ("éligible au programme de votre entreprise", "eligible for your company's programme")
        * 2,
        False: ("hors programme d'entreprise", "no company programme", "", ""),
    },
}
# fairness key: small_association * 2 + no_applicant
_FAIRNESS_TEXTS = {
    0: ("mission déjà suivie", "mission already has applicants", "", ""),
    1: ("aucun candidat pour l'instant", "no applicant yet") * 2,
    2: ("petite association", "small association") * 2,
    3: (
        "petite association, aucun candidat pour l'instant",
        "small association, no applicant yet",
        "petite association · aucun candidat pour l'instant",
        "small association · no applicant yet",
    ),
}
_OWN_MISSION = (
    "coup de pouce aux missions peu suivies et aux petites associations",
    "a boost for missions with few applicants and for small associations",
    "",
    "",
)
_FAIRNESS_TEXTS_OWN = dict.fromkeys(_FAIRNESS_TEXTS, _OWN_MISSION)


def _blocked_text(bits: int) -> tuple[str, str]:
    reasons = [BLOCK_NAMES[bit] for bit in BLOCK_NAMES if bits & bit]
    return (
        "Hors critères : " + ", ".join(fr for fr, _en in reasons),
        "Not eligible: " + ", ".join(en for _fr, en in reasons),
    )


def explain_top(
    ix: E.MatchingIndex,
    top: E.TopK,
    names: SkillNames,
    *,
    direction: str,
    audience: str = STAFF,
) -> list[list[Explanation]]:
    """Explanations of a TopK result, row by row (``direction``: "missions" when the
    owners are missions and the items volunteers, "volunteers" otherwise)."""
    owners, items = top.pairs()
    if direction == "missions":
        flat = explain_pairs(ix, items, owners, names, audience=audience)
    elif direction == "volunteers":
        flat = explain_pairs(ix, owners, items, names, audience=audience)
    else:
        raise ValueError("direction must be 'missions' or 'volunteers'")
    bounds = np.asarray(top.indptr).tolist()
    return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
