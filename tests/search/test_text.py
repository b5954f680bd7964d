"""The search's French text functions, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.text import (
    Phrase,
    Vocabulary,
    fold,
    parse_query,
    stem,
    stems_of,
    stems_text,
    strict_word_similarity,
)


def test_fold_lowers_removes_accents_and_keeps_words_apart():
    assert fold("L'Économie SOCIALE & solidaire — Île-de-France") == (
        " l economie sociale solidaire ile de france "
    )
    assert fold("Œuvre, cœur, Straße") == " oeuvre coeur strasse "
    assert fold("") == " " and fold(None) == " "


@given(st.text())
def test_folded_text_is_plain_lower_case_words_between_spaces(text):
    folded = fold(text)
    assert folded.startswith(" ") and folded.endswith(" ")
    assert "  " not in folded
    assert all(char == " " or char.isascii() and char.isalnum() for char in folded)
    assert folded == folded.lower()
    assert fold(folded) == folded


def test_stems_are_postgresqls_french_ones_without_stop_words():
    # The lexemes PostgreSQL's french_unaccent configuration gives for the same words.
    assert stems_of("Comptabilités comptables compta") == ["comptabilit", "comptabl", "compt"]
    assert stems_of("le développement des réseaux") == ["developp", "reseau"]
    assert stem("benevoles") == stem("benevole") == "benevol"


def test_stems_text_keeps_the_sections_apart():
    # "les" is not in PostgreSQL's French stop words: its stem is "le".
    assert stems_text("Site web", None, "Les dons", "Lyon") == " sit web |  | le don | lyon "


def test_strict_word_similarity_is_pg_trgms():
    # Values PostgreSQL's strict_word_similarity() returns for the same pairs.
    assert strict_word_similarity("comptabilte", "mettre en place la comptabilite") == (
        pytest.approx(2 / 3)
    )
    assert strict_word_similarity("developement web", "developpement web") == (
        pytest.approx(0.8421052)
    )
    assert strict_word_similarity("web", "") == 0.0
    assert strict_word_similarity("Comptabilité", "comptabilite") == 1.0


VOCABULARY = Vocabulary.from_skills(
    [
        ("Comptabilité associative", ["compta", "comptable"]),
        ("Création de site web", ["site web", "site internet"]),
        ("Développement web", ["site web", "dev web"]),
        ("Politique RH", ["rh", "ressources humaines"]),
    ]
)


def test_words_are_all_required_and_stop_words_ignored():
    query = parse_query("le budget de la fête", VOCABULARY)
    assert [term.typed.stems for term in query.positive] == [("budget",), ("fet",)]
    assert not query.negative


def test_a_synonym_brings_the_skill_and_its_other_words():
    (term,) = parse_query("Compta", VOCABULARY).terms
    assert term.typed == Phrase.of("compta")
    assert {synonym.text for synonym in term.synonyms} == {"comptable"}


def test_abbreviations_find_a_skill_but_are_not_added_to_other_words():
    # Not « compta », whose stem is also that of « comptes ».
    (term,) = parse_query("comptable", VOCABULARY).terms
    assert not term.synonyms
    (term,) = parse_query("Comptabilité associative", VOCABULARY).terms
    assert {synonym.text for synonym in term.synonyms} == {"comptable"}


def test_a_synonym_of_several_words_and_of_several_skills():
    terms = parse_query("sites web lyon", VOCABULARY).terms
    assert [term.typed.text for term in terms] == ["sites web", "lyon"]
    # Not the skills' names.
    assert {synonym.text for synonym in terms[0].synonyms} == {"site internet", "dev web"}


def test_quoted_phrases_and_excluded_words():
    query = parse_query('"plan de communication" rh -paie -"bulletins de salaire"', VOCABULARY)
    phrase, rh = query.positive
    assert phrase.exact and phrase.typed.stems == ("plan", "commun")
    assert rh.synonyms  # RH is a synonym
    assert [(term.typed.text, term.exact) for term in query.negative] == [
        ("paie", True),
        ("bulletins de salaire", True),
    ]


def test_nothing_to_look_for():
    assert not parse_query("", VOCABULARY)
    assert not parse_query("de la - « »", VOCABULARY)
