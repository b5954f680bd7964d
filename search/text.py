"""French text for the mission search, in plain Python: folding, stems, the query a
person types, and trigram similarity.

PostgreSQL does the same in SQL (``unaccent``, the ``french_stem`` Snowball dictionary,
``pg_trgm``); these functions give SQLite the same behaviour, registered on its
connections by :mod:`search.documents`, and parse the query for both databases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Letters NFKD does not decompose into a base letter.
_SPECIAL_LETTERS = {
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# PostgreSQL's French stop words (the Snowball list its ``french_stem`` dictionary uses).
# Its configuration unaccents a word before the stemmer sees it, so the list's accented
# entries (à, été, êtes...) never match: they are left out here for the same result.
_STOPWORD_LIST = """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
    toi ton tu un une vos votre vous c d j l m n s t y suis es est sommes sont serai
    seras sera serons serez seront serais serait serions seriez seraient fus fut furent
    sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante
    ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez
    auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut
    eurent aie aies ait ayons ayez aient eusse eusses eussions eussiez eussent
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def fold(text: str | None) -> str:
    """Lower case, accents removed, every run of other characters a single space, with
    a space at each end (so that `` mot`` finds a word's start): « L'Économie » gives
    `` l economie ``."""
    if not text:
        return " "
    letters = []
    for char in text.lower():
        if char < "\x80":
            letters.append(char)
        elif char in _SPECIAL_LETTERS:
            letters.append(_SPECIAL_LETTERS[char])
        else:
            letters.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    words = _NOT_WORD.sub(" ", "".join(letters)).split()
    return " " + " ".join(words) + " " if words else " "


def words_of(text: str) -> list[str]:
    return fold(text).split()


_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball French stem of a folded word, as PostgreSQL's ``french_stem``."""
    return _stemmer.stemWord(word)


def stems_of(text: str) -> list[str]:
    """The stems of a text's words, stop words left out, in their order."""
    return [stem(word) for word in words_of(text) if word not in STOPWORDS]


def stems_text(*sections: str | None) -> str:
    """The stems of each section, sections separated by `` | `` (never inside a stem):
    SQLite's matching column, which keeps the title, skills, summary and details apart
    to rank them as PostgreSQL's weights A to D do."""
    return " " + " | ".join(" ".join(stems_of(section or "")) for section in sections) + " "


# --- Trigrams, as pg_trgm computes them ----------------------------------------------

TYPO_SIMILARITY = 0.5  # pg_trgm's default strict_word_similarity_threshold


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def strict_word_similarity(query: str | None, text: str | None) -> float:
    """pg_trgm's ``strict_word_similarity``: the best similarity between the query's
    trigrams and those of a run of whole words of ``text``."""
    query_words, text_words = words_of(query or ""), words_of(text or "")
    if not query_words or not text_words:
        return 0.0
    wanted: set[str] = set().union(*(_trigrams(word) for word in query_words))
    word_trigrams = [_trigrams(word) for word in text_words]
    best = 0.0
    for start in range(len(word_trigrams)):
        extent: set[str] = set()
        for trigrams in word_trigrams[start:]:
            extent |= trigrams
            if len(wanted) / len(extent) <= best:
                break  # a longer run can only score lower
            common = len(wanted & extent)
            best = max(best, common / (len(wanted) + len(extent) - common))
    return best


# --- The query a person types ---------------------------------------------------------

_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|«([^»]*)»?|([^\s"«»]+))')


@dataclass(frozen=True)
class Phrase:
    """Words to find together: ``text`` as typed (PostgreSQL parses it again), and the
    stems SQLite looks for, in order."""

    text: str
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Phrase:
        return cls(text=" ".join(text.split()), stems=tuple(stems_of(text)))


@dataclass(frozen=True)
class Term:
    """One condition of the query. ``typed`` are the words as typed, found anywhere in
    the document when ``exact`` is false, else side by side (a quoted phrase);
    ``synonyms`` are other ways to say the same (the skills' names and synonyms), each
    found when all its words are. A negated term excludes the missions it matches."""

    typed: Phrase
    exact: bool = False
    synonyms: tuple[Phrase, ...] = ()
    negated: bool = False

    @property
    def alternatives(self) -> tuple[Phrase, ...]:
        return (self.typed, *self.synonyms)


@dataclass(frozen=True)
class TextQuery:
    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)

    def __bool__(self) -> bool:
        return bool(self.positive or self.negative)


# Longest synonym looked for in a query, in words.
MAX_SYNONYM_WORDS = 4


@dataclass(frozen=True)
class Vocabulary:
    """The words of the skills. Synonyms: each expression (a skill's name or synonym),
    by the stems of its words (stop words kept), gives the synonyms of the skills it
    names. Names are not added to queries: their general words (« Comptabilité
    associative », « Gestion de ... ») would find and rank what the name's own synonyms
    do not mean. ``phrases`` (names, synonyms and families, folded) are what a misspelt
    word is compared with."""

    expressions: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    phrases: tuple[str, ...] = ()

    @classmethod
    def from_skills(
        cls, skills: list[tuple[str, list[str]]], families: Iterable[str] = ()
    ) -> Vocabulary:
        """``skills``: (name, synonyms) for each skill; ``families``: their names."""
        ways: dict[tuple[str, ...], list[str]] = {}
        phrases: dict[str, None] = {}
        for name, synonyms in skills:
            for expression in [name, *synonyms]:
                phrases[fold(expression).strip()] = None
                key = tuple(stem(word) for word in words_of(expression))
                if key:
                    known = ways.setdefault(key, [])
                    known.extend(way for way in synonyms if way not in known)
        for family in families:
            phrases[fold(family).strip()] = None
        return cls(
            {key: tuple(values) for key, values in ways.items() if values},
            tuple(phrase for phrase in phrases if phrase),
        )

    def close_to(self, words: str, limit: int = 8) -> list[str]:
        """The skills' names, synonyms and families closest to misspelt ``words``
        (pg_trgm's strict word similarity, at least ``TYPO_SIMILARITY``), best first."""
        scored = [
            (similarity, phrase)
            for phrase in self.phrases
            if (similarity := strict_word_similarity(words, phrase)) >= TYPO_SIMILARITY
        ]
        return [phrase for _similarity, phrase in sorted(scored, key=lambda x: -x[0])[:limit]]


def parse_query(text: str, vocabulary: Vocabulary | None = None) -> TextQuery:
    """Words (all required), "quoted phrases", -excluded words or phrases. A run of
    words that is a skill's synonym (``compta``, ``RH``, ``site web``) also matches the
    skill's name and its other synonyms. Stop words alone are ignored."""
    vocabulary = vocabulary or Vocabulary()
    text = (text or "").replace("\x00", " ")  # forms refuse it; PostgreSQL cannot take it
    terms: list[Term] = []
    loose: list[str] = []  # unquoted words, waiting to be grouped into synonyms

    def flush() -> None:
        terms.extend(_loose_terms(loose, vocabulary))
        loose.clear()

    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1))
        quoted = match.group(2) if match.group(2) is not None else match.group(3)
        if quoted is not None:
            flush()
            phrase = Phrase.of(quoted)
            if phrase.stems:
                terms.append(Term(typed=phrase, exact=True, negated=negated))
        elif negated:
            flush()
            phrase = Phrase.of(match.group(4))
            if phrase.stems:
                terms.append(Term(typed=phrase, exact=True, negated=True))
        else:
            word = match.group(4)
            if word != "-":
                loose.extend(words_of(word))
    flush()
    return TextQuery(tuple(terms))


def _loose_terms(words: list[str], vocabulary: Vocabulary) -> list[Term]:
    terms = []
    stems = [stem(word) for word in words]
    position = 0
    while position < len(words):
        for size in range(min(MAX_SYNONYM_WORDS, len(words) - position), 0, -1):
            ways = vocabulary.expressions.get(tuple(stems[position : position + size]))
            if ways:
                typed = Phrase.of(" ".join(words[position : position + size]))
                if typed.stems:
                    synonyms = tuple(
                        dict.fromkeys(
                            phrase
                            for phrase in (Phrase.of(way) for way in _unabbreviated(ways))
                            if phrase.stems and phrase.stems != typed.stems
                        )
                    )
                    terms.append(Term(typed=typed, synonyms=synonyms))
                position += size
                break
        else:
            if words[position] not in STOPWORDS:
                terms.append(Term(typed=Phrase.of(words[position])))
            position += 1
    return terms


def _unabbreviated(ways: tuple[str, ...]) -> list[str]:
    """The ways to say a skill, without the abbreviations of another one (« compta » of
    « comptabilité », « appli » of « application mobile »): typed, they find the skill;
    added to a query, their short stems would find other words (« compta » and «
    comptes » share the stem « compt »)."""
    folded = [fold(way).split() for way in ways]

    def shortens(short: list[str], other: list[str]) -> bool:
        pairs = list(zip(short, other, strict=False))
        return (
            len(pairs) == len(short)
            and all(long.startswith(word) for word, long in pairs)
            and any(long != word for word, long in pairs)
        )

    return [
        way
        for way, words in zip(ways, folded, strict=True)
        if not any(shortens(words, other) for other in folded)
    ]
