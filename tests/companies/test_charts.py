"""The server-drawn charts: round ticks, and labels that are not cut short."""

import re
from decimal import Decimal

import pytest

from companies.charts import _nice_max, horizontal_bars


@pytest.mark.parametrize(
    ("peak", "top"), [(0, 4), (3, 4), (17, 20), (62, 80), (99, 100), (250, 400), (1234, 2000)]
)
def test_the_axis_top_is_round_and_covers_the_peak(peak, top):
    assert _nice_max(peak) == top
    assert (top / 4) == int(top / 4)  # four ticks, each a whole number


def test_long_labels_are_shown_whole_and_escaped():
    long = "Formation et accompagnement des bénévoles <b>"
    svg = str(horizontal_bars([(long, Decimal("38.5")), ("Jeunesse", Decimal("1"))], title="T"))
    assert "Formation et accompagnement des bénévoles &lt;b&gt;" in svg
    assert "…" not in svg
    # Every label starts inside the drawing.
    assert all(float(x) >= 0 for x in re.findall(r'<text x="([-\d.]+)"', svg))
