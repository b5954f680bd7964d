"""A suggestion's score and its factors' shares, as the pipeline and the volunteer's
suggestions show them ({% suggestion_score %}). No database."""

import datetime as dt

from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from matching.selectors import FACTORS, FactorShare, SuggestedPair

TEMPLATE = engines["django"].from_string("{% load matching_tags %}{% suggestion_score pair %}")


def pair(weights: dict[str, float]) -> SuggestedPair:
    return SuggestedPair(
        mission_id=1,
        volunteer_id=2,
        rank=1,
        score=0.734,
        factors=dict.fromkeys(FACTORS, 0.5),
        explanation_fr="",
        explanation_en="",
        computed_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        weights=weights,
    )


def render(suggestion: SuggestedPair, language: str = "fr") -> str:
    with translation.override(language):
        return TEMPLATE.render({"pair": suggestion})


def test_the_score_and_each_share_are_written_and_read_aloud():
    suggestion = pair({"skills": 3.0, "cause": 1.0})
    html = render(suggestion)
    expected = """
    <div class="match-score">
      <p class="match-score__total">Correspondance : 73 %</p>
      <ul class="factor-shares" aria-label="Part de chaque critère dans le score">
        <li class="factor-share factor-share--skills">
          <span class="factor-share__label" aria-hidden="true">Compétences</span>
          <meter class="factor-share__bar" min="0" max="100" value="75" aria-hidden="true"></meter>
          <span class="factor-share__value" aria-hidden="true">75 %</span>
          <span class="visually-hidden">Compétences : 75 % du score</span>
        </li>
        <li class="factor-share factor-share--cause">
          <span class="factor-share__label" aria-hidden="true">Cause</span>
          <meter class="factor-share__bar" min="0" max="100" value="25" aria-hidden="true"></meter>
          <span class="factor-share__value" aria-hidden="true">25 %</span>
          <span class="visually-hidden">Cause : 25 % du score</span>
        </li>
      </ul>
    </div>"""
    assert [share.code for share in suggestion.shares] == ["skills", "cause"]
    assert parse_html(html) == parse_html(expected)
    english = render(pair({"skills": 3.0, "cause": 1.0}), "en")
    assert "Match: 73%" in english and "Skills: 75% of the score" in english
    assert 'aria-label="Each factor&#x27;s share of the score"' in english


def test_labels_are_escaped_and_a_pair_the_engine_did_not_score_shows_nothing():
    suggestion = pair({"skills": 1.0})
    suggestion.__dict__["shares"] = [FactorShare("skills", "<b>R&D</b> d'été", 100)]
    html = render(suggestion)
    assert "<b>" not in html
    assert "&lt;b&gt;R&amp;D&lt;/b&gt; d&#x27;été : 100 % du score" in html
    assert render(pair({})).strip() == ""
