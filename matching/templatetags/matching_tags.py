"""A suggestion's score and each factor's share of it, as small bars read aloud as text.

Written in Python rather than as an included template: an association's pipeline and a
volunteer's suggestions show twenty of them, each with up to nine bars, and the template
engine spent more on them than on the rest of the page's cards."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from matching.selectors import SuggestedPair

register = template.Library()

SHARE = (
    '<li class="factor-share factor-share--{}">'
    '<span class="factor-share__label" aria-hidden="true">{}</span>'
    '<meter class="factor-share__bar" min="0" max="100" value="{}" aria-hidden="true"></meter>'
    '<span class="factor-share__value" aria-hidden="true">{} %</span>'
    '<span class="visually-hidden">{}</span>'
    "</li>"
)


@register.simple_tag
def suggestion_score(suggestion: SuggestedPair) -> SafeString:
    """The score of ``suggestion`` and each factor's share; nothing when the engine did
    not score the pair."""
    shares = suggestion.shares
    if not shares:
        return mark_safe("")
    # As blocktranslate does: the translation is trusted, the values are escaped.
    total = gettext("Correspondance : %(percent)s %%") % {"percent": suggestion.score_percent}
    rows = format_html_join(
        "\n",
        SHARE,
        (
            (
                share.code,
                share.label,
                share.percent,
                share.percent,
                mark_safe(
                    gettext("%(label)s : %(percent)s %% du score")
                    % {"label": conditional_escape(share.label), "percent": share.percent}
                ),
            )
            for share in shares
        ),
    )
    return format_html(
        '<div class="match-score">\n<p class="match-score__total">{}</p>\n'
        '<ul class="factor-shares" aria-label="{}">\n{}\n</ul>\n</div>',
        mark_safe(total),
        gettext("Part de chaque critère dans le score"),
        rows,
    )
