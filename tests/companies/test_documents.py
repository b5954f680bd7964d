"""Every document kind, with hostile names: it renders, fetches nothing, shows the text
literally, and no spreadsheet cell can run as a formula."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import reportlab.lib.utils
from reportlab.lib.styles import getSampleStyleSheet

from companies.exports import report_csv, report_xlsx
from companies.pdf import association_summary_pdf, report_pdf
from companies.reports import ReportScope, association_yearly_summary, impact_report
from core.documents import CONTROL_CHARACTERS, FORMULA_STARTS, cell, clean, plain, text_cell
from missions.attestation import render_attestation
from missions.models import Application
from tests import factories
from tests.volunteers.test_engagements import pdf_text

from .conftest import HoursFactory

YEAR = 2025

HOSTILE = [
    '<img src="http://127.0.0.1:9/leak.png"/>',
    "<img src='/etc/passwd'/>",
    "Aide <b>numérique",
    "Asso </para> fin",
    "<font size=80 color=red>Géante</font>",
    '<a href="javascript:alert(1)">lien</a>',
    "<![CDATA[ x ]]>",
    "<br/><br/>Sauts",
    "<seq id=a/> <onDraw name=x/>",
    "<greek>a</greek>",
    "Tom & Jerry &amp; &#60; &lt;",
    "1 < 2 > 0",
    "=1+1",
    '=HYPERLINK("http://127.0.0.1:9/x","Cliquez")',
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "Association \u202eeviL",
    "שלום עולם",
    "جمعية الخير",
    "Fin de ligne\r\n=1+1",
    "Cloche\x07 et \x1b[31m rouge",
    "Ligne\nsuivante",
    "%(company)s %s {0} {{x}}",
    "Guillemets \"doubles\" et 'simples'",
    "Antislash \\ ( ) parenthèses",
    "Zéro\u200blargeur",
    "🎉 Fête solidaire",
    "A" * 150,
]


@pytest.fixture
def world(company):
    association = factories.AssociationFactory(name="Les Ateliers")
    mission = factories.MissionFactory(association=association, state="completed")
    factories.MissionSkillFactory(mission=mission)
    employee = factories.CompanyMemberFactory(company=company).user
    volunteer = factories.VolunteerFactory(user=employee, employer=company)
    application = factories.ApplicationFactory(
        volunteer=volunteer,
        mission=mission,
        state=Application.State.COMPLETED,
        is_work_time=True,
        approval_state=Application.Approval.APPROVED,
        planned_hours=10,
    )
    HoursFactory(application=application, date=datetime.date(YEAR, 3, 10), hours=Decimal("6"))
    return association, mission, application


@pytest.fixture
def no_fetch(monkeypatch):
    """Fail the test if a document tries to read a URL or a file while rendering."""
    tried = []

    def refuse(name, *args, **kwargs):
        tried.append(name)
        raise OSError(f"refused: {name}")

    monkeypatch.setattr(reportlab.lib.utils, "rlUrlRead", refuse)
    monkeypatch.setattr(reportlab.lib.utils, "open_for_read_by_name", refuse)
    return tried


def shown(text: str) -> str:
    """What a document may show of ``text``: its printable characters."""
    return clean(text)


def csv_cells(data: str) -> list[str]:
    return [value for row in csv.reader(io.StringIO(data), delimiter=";") for value in row]


def xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_every_document_shows_a_hostile_name_literally(company, world, no_fetch, name):
    association, mission, application = world
    company.name = name
    company.save(update_fields=["name"])
    association.name = name
    association.save(update_fields=["name"])
    mission.title = name
    mission.save(update_fields=["title"])
    report = impact_report(
        ReportScope(
            company=company, start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31)
        )
    )
    rows = association_yearly_summary(association, YEAR)

    pdfs = {
        "impact report": report_pdf(report),
        "yearly summary": association_summary_pdf(association, YEAR, rows),
        "attestation": render_attestation(application, compress=False),
    }
    assert no_fetch == []
    for kind, data in pdfs.items():
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), kind
    # ReportLab draws a long name over several lines, and Helvetica has no glyph for
    # right-to-left, zero-width or emoji characters: compare each run it can draw.
    attestation = pdf_text(pdfs["attestation"]).replace(" ", "")
    for run in re.split(r"[^\x20-\x7e\xa0-\xff]+", shown(name)):
        assert run.replace(" ", "") in attestation

    values = csv_cells(report_csv(report))
    for value in values:
        assert not value.startswith(FORMULA_STARTS), value
    assert CONTROL_CHARACTERS.sub("", name) in [v.removeprefix("'") for v in values]

    for xlsx_cell in xlsx_cells(report_xlsx(report)):
        assert xlsx_cell.data_type != "f", xlsx_cell.value
    texts = [c.value for c in xlsx_cells(report_xlsx(report)) if isinstance(c.value, str)]
    assert any(shown(name).replace(" ", "") in t.replace(" ", "") for t in texts) or "\n" in name


def test_a_nul_character_never_reaches_a_document():
    """PostgreSQL refuses NUL in text and the forms reject it; SQLite keeps it, so the
    documents drop it whatever the database."""
    styles = getSampleStyleSheet()
    assert plain("Nul\x00caractère", styles["BodyText"]).getPlainText() == "Nulcaractère"
    assert cell("=Nul\x00") == "'=Nul"
    assert text_cell("Nul\x00") == "Nul"


def test_only_the_documents_module_builds_reportlab_paragraphs():
    """The one escaping path cannot be bypassed: no other module builds a Paragraph."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "bench"}
        and "Paragraph(" in path.read_text()
        and path != root / "core" / "documents.py"
    ]
    assert offenders == []
