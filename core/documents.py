"""The one way people's text reaches a document: PDF paragraphs, CSV and XLSX cells.

ReportLab's paragraphs read a markup language: a name holding ``<img src="...">`` would
make the server fetch an address or read a local file while rendering, and an unclosed
``<b>`` would break every document that mentions it. Spreadsheet software runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula. So:

- every paragraph is built here, by ``paragraph()`` (the code's own markup, with the
  values escaped into it) or ``plain()`` (a value shown as it is); no other module builds
  a ReportLab ``Paragraph`` (a test checks it);
- every CSV cell goes through ``cell()``, which neutralises formulas the way OWASP
  recommends (a leading apostrophe), and every XLSX cell through ``text_cell()``, stored
  as a string cell, never as a formula; both remove control characters.
"""

import re
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

# Control characters (NUL included) have no place in a document; tabs and line breaks
# become spaces.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\t\r\n]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean(value: object) -> str:
    """``value`` as one line of printable text."""
    return _BREAKS.sub(" ", CONTROL_CHARACTERS.sub("", str(value)))


def escaped(value: object) -> str:
    """``value`` as text for ReportLab's markup: shown literally, never interpreted."""
    return escape(clean(value), {'"': "&quot;"})


def paragraph(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A paragraph of the code's own ``template`` (translated text, perhaps with markup
    such as ``<b>``), into which each of ``values`` is escaped (``%(name)s``)."""
    if values:
        template = template % {name: escaped(value) for name, value in values.items()}
    return Paragraph(template, style)


def plain(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing ``value`` literally (a name, a title...)."""
    return Paragraph(escaped(value), style)


def cell(value: Any) -> Any:
    """A CSV cell: numbers as they are, text that spreadsheet software will show and
    never run (a leading apostrophe before what would start a formula)."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = CONTROL_CHARACTERS.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def text_cell(value: Any) -> Any:
    """An XLSX cell's value: numbers as they are, text without control characters. The
    writer stores text as a string cell (``companies.exports``), so that it is shown as
    typed and never run, with no apostrophe to add."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    return CONTROL_CHARACTERS.sub("", str(value))
