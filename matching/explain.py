"""Explanations of matching scores, factor by factor, in French and in English.

Pure Python over :func:`matching.engine.pair_details` (no Django): skill names come from
a :class:`SkillNames` lookup the caller builds (from the database, or from
``taxonomy.reference_data``)::

    names = SkillNames.from_reference(SKILLS)
    explanation = explain_pair(index, volunteer, mission, names)
    explanation.text_fr
    # "Couvre 3 des 4 compétences requises (manque : Cybersécurité) · 12 km · même cause
    #  · disponible aux dates"
    explanation.as_json()  # [{"code": "skills", "value": 0.81, "weight": 0.36, ...}, ...]

Each :class:`Explanation` carries the structured list of the nine factors (code, value,
weight, a French and an English phrase) and the two joined sentences, which keep only
what a person needs to read: the skills, the place, the cause and the dates always; the
rest when it is notable (a language not spoken, hours short of the need, a seniority
asked for, a programme, a small association, a mission nobody applied to yet).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias, TypeVar

import numpy as np

from . import engine as E
from .weights import FACTORS

SEPARATOR = " · "

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
# One pair's mission skills: ((skill, required, status), ...) in the mission's order.
SkillSignature: TypeAlias = tuple[tuple[int, bool, int], ...]


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

    def as_json(self) -> list[dict[str, Any]]:
        """The factor list, JSON-ready (what HiddenSuggestion.factors keeps)."""
        return [
            {"code": c, "value": round(v, 4), "weight": round(w, 4), "text_fr": f, "text_en": e}
            for c, v, w, f, e in zip(
                FACTORS, self.values, self.weights, self.texts_fr, self.texts_en, strict=True
            )
        ]


def explain_pair(
    ix: E.MatchingIndex, volunteer: int, mission: int, names: SkillNamesLike
) -> Explanation:
    """The explanation of one pair."""
    return explain_pairs(ix, [volunteer], [mission], names)[0]


def explain_pairs(
    ix: E.MatchingIndex,
    volunteers: Sequence[int] | np.ndarray,
    missions: Sequence[int] | np.ndarray,
    names: SkillNamesLike,
) -> list[Explanation]:
    """Explanations of pairs ``(volunteers[i], missions[i])`` (see also :func:`explain_top`)."""
    return explain_details(E.pair_details(ix, volunteers, missions), names)


def explain_details(details: E.PairDetails, names: SkillNamesLike) -> list[Explanation]:
    """Explanations from :func:`matching.engine.pair_details`.

    ``names``: a :class:`SkillNames`, or a mapping ``{"fr": [...], "en": [...]}`` of skill
    names by engine skill index. The facts are gathered vectorised; each phrase is
    computed once per distinct situation (a mission's skill statuses, a distance in km,
    a share of the dates...) and reused, so wording costs a few µs a pair.
    """
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
    place_keys = zip(mode, km.tolist(), col("same_departement"), col("same_region"), strict=True)
    cause_keys = (details.same_cause.astype(np.int8) * 2 + details.cause_stated).tolist()
    pct = np.round(details.dates_fit * 100).astype(np.int64)
    date_keys = zip(pct.tolist(), col("mission_has_dates"), strict=True)
    short = (details.need_hours_month > 0) & (details.hours_fit < 0.999)
    hours_keys = zip(
        np.where(short, details.hours_per_month, -1).tolist(),
        np.round(details.need_hours_month).astype(np.int64).tolist(),
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
    place_memo, dates_memo, hours_memo = _Memo(_place_text), _Memo(_dates_text), _Memo(_hours_text)
    lang_memo, sen_memo, format_memo = (
        _Memo(_language_text),
        _Memo(_seniority_text),
        _Memo(_format_text),
    )
    blocked_memo = _Memo(_blocked_text)
    blocked_memo[0] = ("", "")

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
        cause = _CAUSE_TEXTS[ck]
        dates = dates_memo[dk]
        hours = hours_memo[hk]
        lang = lang_memo[lk]
        sen = sen_memo[sk]
        fmt = format_memo[fk]
        prog = _PROGRAMME_TEXTS[programme[i]]
        fair = _FAIRNESS_TEXTS[fair_keys[i]]
        # (factor phrase, sentence part) pairs, per language
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
    """Per pair: ((skill, required, status), ...) in the mission's order."""
    result: list[list[tuple[int, bool, int]]] = [[] for _ in range(n)]
    for pair, entry in zip(
        details.entry_pair.tolist(),
        zip(
            details.entry_skill.tolist(),
            details.entry_required.tolist(),
            details.entry_status.tolist(),
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


def _skills_text(entries: SkillSignature, names: SkillNames) -> tuple[str, str, str, str, str, str]:
    """(factor phrase fr, en, sentence part fr, en, nice-to-have part fr, en)."""
    required = [(s, st) for s, req, st in entries if req]
    nice = [(s, st) for s, req, st in entries if not req]
    if not entries:
        fr, en = "mission ouverte à tous les profils", "open to every profile"
        return fr, en, _capitalised(fr), _capitalised(en), "", ""
    if required:
        group, noun_fr, noun_en = required, "requise", "required"
    else:
        group, noun_fr, noun_en = nice, "souhaitée", "nice-to-have"
    total = len(group)
    met = sum(1 for _s, st in group if st == E.SKILL_MET)
    missing = [s for s, st in group if st in (E.SKILL_MISSING, E.SKILL_FAMILY)]
    below = [s for s, st in group if st == E.SKILL_BELOW]
    related = [s for s, st in group if st == E.SKILL_RELATED]
    if total == 1:
        fr = f"couvre la compétence {noun_fr}" if met else f"ne couvre pas la compétence {noun_fr}"
        en = f"covers the {noun_en} skill" if met else f"does not cover the {noun_en} skill"
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
    if below:
        notes_fr.append("niveau inférieur : " + ", ".join(names.fr(s) for s in below))
        notes_en.append("below the level asked: " + ", ".join(names.en(s) for s in below))
    if related:
        notes_fr.append("compétence proche pour : " + ", ".join(names.fr(s) for s in related))
        notes_en.append("related skill for: " + ", ".join(names.en(s) for s in related))
    if missing:
        notes_fr.append("manque : " + ", ".join(names.fr(s) for s in missing))
        notes_en.append("missing: " + ", ".join(names.en(s) for s in missing))
    if notes_fr:
        fr += " (" + " ; ".join(notes_fr) + ")"
        en += " (" + "; ".join(notes_en) + ")"
    nice_fr = nice_en = ""
    if required and nice:
        got = sum(1 for _s, st in nice if st == E.SKILL_MET)
        if got:
            plural = "s" if got > 1 else ""
            nice_fr = f"+ {got} compétence{plural} souhaitée{plural}"
            nice_en = f"+ {got} nice-to-have skill{plural}"
    return fr, en, _capitalised(fr), _capitalised(en), nice_fr, nice_en


def _place_text(key: tuple[int, int, bool, bool]) -> tuple[str, str]:
    mode, km, same_departement, same_region = key
    if mode == E.REMOTE:
        return "à distance", "remote"
    prefix_fr, prefix_en = ("hybride, ", "hybrid, ") if mode == E.HYBRID else ("", "")
    if km == -2:
        return prefix_fr + "moins d'1 km", prefix_en + "under 1 km"
    if km >= 0:
        return prefix_fr + f"{km} km", prefix_en + f"{km} km"
    if same_departement:
        return prefix_fr + "même département", prefix_en + "same département"
    if same_region:
        return prefix_fr + "même région", prefix_en + "same région"
    return prefix_fr + "lieu à préciser", prefix_en + "place to be confirmed"


# cause key: same_cause * 2 + cause_stated → (phrase fr, en, sentence part fr, en)
_CAUSE_TEXTS = {
    0: ("ouvert à toutes les causes", "open to any cause", "", ""),
    1: ("autre cause", "another cause", "autre cause", "another cause"),
    2: ("même cause", "same cause", "même cause", "same cause"),
    3: ("même cause", "same cause", "même cause", "same cause"),
}


def _dates_text(key: tuple[int, bool]) -> tuple[str, str]:
    pct, has_dates = key
    if pct >= 100:
        if has_dates:
            return "disponible aux dates", "available on the dates"
        return "disponible", "available"
    if pct <= 0:
        return "pas disponible aux dates", "not available on the dates"
    return f"disponible sur {pct} % de la période", f"available for {pct}% of the period"


def _hours_text(key: tuple[float, int]) -> tuple[str, str]:
    have, need = key
    if have < 0:
        return "", ""
    return (
        f"{have:g} h/mois pour environ {need} h/mois demandées",
        f"{have:g} h a month for about {need} h a month asked",
    )


def _language_text(key: tuple[int, int]) -> tuple[str, str, str, str]:
    missing_mask, asked_mask = key
    missing = _languages(missing_mask)
    if missing:
        fr = "ne parle pas : " + ", ".join(fr for fr, _en in missing)
        en = "does not speak: " + ", ".join(en for _fr, en in missing)
        return fr, en, fr, en
    asked = _languages(asked_mask)
    fr = "parle " + " et ".join(fr for fr, _en in asked)
    en = "speaks " + " and ".join(en for _fr, en in asked)
    if asked == [LANGUAGE_NAMES["fr"]]:
        return fr, en, "", ""
    return fr, en, fr, en


def _seniority_text(key: tuple[int, int]) -> tuple[str, str, str, str]:
    wanted, own = key
    if wanted < 0:
        return "pas de séniorité demandée", "no seniority asked for", "", ""
    w_fr, w_en = SENIORITY_NAMES[wanted]
    if own == wanted or own < 0:
        fr, en = f"profil {w_fr} recherché", f"{w_en} profile wanted"
    else:
        o_fr, o_en = SENIORITY_NAMES[own]
        fr, en = f"profil {o_fr} (recherché : {w_fr})", f"{o_en} profile ({w_en} wanted)"
    return fr, en, fr, en


def _format_text(key: tuple[int, bool]) -> tuple[str, str]:
    mode, accepted = key
    mode_fr, mode_en = FORMAT_NAMES[mode]
    if accepted:
        return f"accepte le format {mode_fr}", f"accepts {mode_en} missions"
    return f"n'accepte pas le format {mode_fr}", f"does not accept {mode_en} missions"


_PROGRAMME_TEXTS = {
    True: (
        "éligible au programme de son entreprise",
        "eligible for their company's programme",
        "éligible au programme de son entreprise",
        "eligible for their company's programme",
    ),
    False: ("hors programme d'entreprise", "no company programme", "", ""),
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


def _blocked_text(bits: int) -> tuple[str, str]:
    reasons = [BLOCK_NAMES[bit] for bit in BLOCK_NAMES if bits & bit]
    return (
        "Hors critères : " + ", ".join(fr for fr, _en in reasons),
        "Not eligible: " + ", ".join(en for _fr, en in reasons),
    )


def explain_top(
    ix: E.MatchingIndex, top: E.TopK, names: SkillNames, *, direction: str
) -> list[list[Explanation]]:
    """Explanations of a TopK result, row by row (``direction``: "missions" when the
    owners are missions and the items volunteers, "volunteers" otherwise)."""
    owners, items = top.pairs()
    if direction == "missions":
        flat = explain_pairs(ix, items, owners, names)
    elif direction == "volunteers":
        flat = explain_pairs(ix, owners, items, names)
    else:
        raise ValueError("direction must be 'missions' or 'volunteers'")
    bounds = np.asarray(top.indptr).tolist()
    return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
