"""CSV and XLSX exports of an impact report: the same figures as the page, one table per
section, so that a CSR team can rework them in a spreadsheet."""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.documents import cell, text_cell

from .reports import ImpactReport


def _share(value):
    return "" if value is None else float(value)


def report_tables(report: ImpactReport) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of every section of the report."""
    scope = report.scope
    summary: list[list[Any]] = [
        [_("Entreprise"), scope.company.name],
        [_("Du"), scope.start.isoformat()],
        [_("Au"), scope.end.isoformat()],
        [_("Heures prévues"), float(report.hours_planned)],
        [_("Heures validées"), float(report.hours_validated)],
        [_("Salariés"), report.employees],
        [_("Salariés engagés"), report.employees_engaged],
        [_("Taux de participation"), _share(report.participation_rate)],
        [_("Associations aidées"), report.associations_helped],
        [_("Missions terminées"), report.missions_completed],
        [_("Évaluations des associations"), report.evaluations],
        [_("Note moyenne (sur 5)"), _share(report.average_rating)],
        [_("Part des objectifs atteints"), _share(report.objectives_met_share)],
        [_("Part des associations autonomes"), _share(report.skill_transfer_share)],
        [_("Heures sur le temps de travail"), float(report.work_time_hours)],
        [_("Valorisation (€)"), float(report.valuation)],
        [_("Base retenue pour la réduction d'impôt (€)"), float(report.tax.base)],
        [_("Réduction d'impôt estimée (€)"), float(report.tax.reduction)],
        [_("Plafond de la réduction (€)"), float(report.tax.ceiling)],
        [_("Excédent reportable (€)"), float(report.tax.carried_forward)],
    ]
    hours = _("Heures validées")
    return [
        (_("Synthèse"), [_("Indicateur"), _("Valeur")], summary),
        (
            _("Par mois"),
            [_("Mois"), _("Heures prévues"), hours],
            [
                [r["month"].strftime("%Y-%m"), float(r["planned"]), float(r["validated"])]
                for r in report.by_month
            ],
        ),
        (_("Par cause"), [_("Cause"), hours], [[k, float(v)] for k, v in report.by_cause]),
        (
            _("Par famille de compétences"),
            [_("Famille"), hours],
            [[k, float(v)] for k, v in report.by_skill_family],
        ),
        (
            _("Par association"),
            [_("Association"), hours],
            [[k, float(v)] for k, v in report.by_association],
        ),
        (
            _("Par département"),
            [_("Département"), hours],
            [[k, float(v)] for k, v in report.by_departement],
        ),
        (
            _("Paramètres légaux"),
            [_("Paramètre"), _("Valeur"), _("Source"), _("Année")],
            [
                [str(rule["label"]), rule["value"], rule["source"], rule["year"]]
                for rule in report.tax.rules.values()
            ],
        ),
    ]


def report_csv(report: ImpactReport) -> str:
    """Every cell through ``core.documents.cell``: no name can become a formula."""
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(out, delimiter=";")
    for title, header, rows in report_tables(report):
        writer.writerow([cell(title)])
        writer.writerow([cell(value) for value in header])
        writer.writerows([cell(value) for value in row] for row in rows)
        writer.writerow([])
    return out.getvalue()


def _append(sheet: Worksheet, row: list[Any]) -> None:
    """A row whose text cells are stored as text, never as formulas."""
    sheet.append([text_cell(value) for value in row])
    for written in sheet[sheet.max_row]:
        if isinstance(written.value, str):
            written.data_type = "s"


def report_xlsx(report: ImpactReport) -> bytes:
    """Every cell through ``core.documents.text_cell``, text stored as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in report_tables(report):
        sheet = workbook.create_sheet(title[:31])
        _append(sheet, header)
        for header_cell in sheet[1]:
            header_cell.font = Font(bold=True)
        for row in rows:
            _append(sheet, row)
        sheet.column_dimensions["A"].width = 45
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
