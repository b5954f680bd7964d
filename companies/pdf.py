"""PDF documents (reportlab): the impact report for a CSR / extra-financial report, and
the yearly summary an association relies on to issue its receipts."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from core.documents import clean, paragraph, plain

from .reports import ImpactReport

PRIMARY = colors.HexColor("#1b5e7a")
PLANNED = colors.HexColor("#8fb8c9")


def fr_number(value, decimals: int = 2) -> str:
    """French formatting with plain spaces (the PDF fonts have no narrow space)."""
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def fr_share(value) -> str:
    return "—" if value is None else f"{fr_number(Decimal(value) * 100, 1)} %"


def _styles():
    styles = getSampleStyleSheet()
    styles["Title"].textColor = PRIMARY
    styles["Heading2"].textColor = PRIMARY
    return styles


def _table(rows, widths, header=True):
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b9c2cc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f1f5")),
        ]
    table.setStyle(TableStyle(style))
    return table


def _monthly_chart(report: ImpactReport) -> Drawing:
    drawing = Drawing(17 * cm, 6 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, 15 * cm, 4.2 * cm
    chart.data = [
        [float(r["planned"]) for r in report.by_month],
        [float(r["validated"]) for r in report.by_month],
    ]
    chart.categoryAxis.categoryNames = [r["month"].strftime("%m/%y") for r in report.by_month]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = PLANNED
    chart.bars[1].fillColor = PRIMARY
    drawing.add(chart)
    for x, label, colour in (
        (30, _("Heures prévues"), PLANNED),
        (130, _("Heures validées"), PRIMARY),
    ):
        drawing.add(String(x, 5.5 * cm, label, fontName="Helvetica", fontSize=8, fillColor=colour))
    return drawing


def report_pdf(report: ImpactReport) -> bytes:
    scope = report.scope
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=_("Rapport d'impact du mécénat de compétences"),
        author=clean(scope.company.name),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    story = [
        paragraph(_("Rapport d'impact du mécénat de compétences"), styles["Title"]),
        paragraph(
            _("%(company)s, du %(start)s au %(end)s"),
            styles["Heading3"],
            company=scope.company.name,
            start=scope.start.strftime("%d/%m/%Y"),
            end=scope.end.strftime("%d/%m/%Y"),
        ),
        Spacer(1, 0.3 * cm),
        paragraph(_("Engagement"), styles["Heading2"]),
        _table(
            [
                [_("Indicateur"), _("Valeur")],
                [_("Heures prévues"), fr_number(report.hours_planned, 1)],
                [_("Heures validées"), fr_number(report.hours_validated, 1)],
                [_("Salariés engagés"), f"{report.employees_engaged} / {report.employees}"],
                [_("Taux de participation"), fr_share(report.participation_rate)],
                [_("Associations aidées"), str(report.associations_helped)],
                [_("Missions terminées"), str(report.missions_completed)],
            ],
            [10 * cm, 5 * cm],
        ),
        Spacer(1, 0.4 * cm),
        _monthly_chart(report),
        paragraph(_("Impact auprès des associations"), styles["Heading2"]),
        _table(
            [
                [_("Indicateur"), _("Valeur")],
                [_("Évaluations des associations"), str(report.evaluations)],
                [
                    _("Note moyenne (sur 5)"),
                    "—" if report.average_rating is None else fr_number(report.average_rating),
                ],
                [_("Objectifs atteints"), fr_share(report.objectives_met_share)],
                [
                    _("Associations qui peuvent désormais poursuivre seules"),
                    fr_share(report.skill_transfer_share),
                ],
            ],
            [10 * cm, 5 * cm],
        ),
    ]
    shown, rest = report.by_association[:20], report.by_association[20:]
    if rest:
        others = ngettext(
            "%(count)s autre association", "%(count)s autres associations", len(rest)
        ) % {"count": len(rest)}
        shown = shown + [(others, sum((hours for _name, hours in rest), Decimal(0)))]
    for title, items in (
        (_("Heures validées par cause"), report.by_cause),
        (_("Heures validées par famille de compétences"), report.by_skill_family),
        (_("Heures validées par association"), shown),
        (_("Heures validées par département"), report.by_departement),
    ):
        if items:
            items = items + [(_("Total"), report.hours_validated)]
            story.append(
                KeepTogether(
                    [
                        plain(title, styles["Heading2"]),
                        _table(
                            [[_("Libellé"), _("Heures")]]
                            + [[plain(k, styles["BodyText"]), fr_number(v, 1)] for k, v in items],
                            [12 * cm, 3 * cm],
                        ),
                    ]
                )
            )
    tax = report.tax
    story += [
        paragraph(_("Valorisation et réduction d'impôt estimée"), styles["Heading2"]),
        _table(
            [
                [_("Indicateur"), _("Valeur")],
                [_("Heures sur le temps de travail"), fr_number(report.work_time_hours, 1)],
                [_("Valorisation au coût horaire chargé"), f"{fr_number(report.valuation)} €"],
                [_("Coût horaire retenu au plus (plafond)"), f"{fr_number(tax.hourly_cap)} €"],
                [_("Base de la réduction"), f"{fr_number(tax.base)} €"],
                [_("Plafond de la réduction"), f"{fr_number(tax.ceiling)} €"],
                [_("Réduction d'impôt estimée"), f"{fr_number(tax.reduction)} €"],
                [_("Excédent reportable sur cinq ans"), f"{fr_number(tax.carried_forward)} €"],
            ],
            [10 * cm, 5 * cm],
        ),
        Spacer(1, 0.3 * cm),
        paragraph(
            _(
                "Estimation indicative, à confirmer par votre direction financière : la "
                "réduction porte sur l'exercice où le mécénat est réalisé."
            ),
            styles["Italic"],
        ),
        paragraph(_("Paramètres légaux utilisés"), styles["Heading2"]),
        _table(
            [[_("Paramètre"), _("Valeur"), _("Source"), _("Année")]]
            + [
                [
                    plain(rule["label"], styles["BodyText"]),
                    rule["value"],
                    plain(rule["source"], styles["BodyText"]),
                    str(rule["year"]),
                ]
                for rule in tax.rules.values()
            ],
            [6 * cm, 2.2 * cm, 6.8 * cm, 1.5 * cm],
        ),
        Spacer(1, 0.3 * cm),
        paragraph(
            _("Document généré par probono le %(date)s."),
            styles["Italic"],
            date=timezone.localdate().strftime("%d/%m/%Y"),
        ),
    ]
    doc.build(story)
    return out.getvalue()


def association_summary_pdf(association, year: int, rows: list[dict]) -> bytes:
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=_("Mécénat de compétences reçu en %(year)s") % {"year": year},
        author="probono",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    identity = association.rna or association.siret or ""
    story = [
        paragraph(_("Mécénat de compétences reçu en %(year)s"), styles["Title"], year=year),
        plain(f"{association.name}" + (f" ({identity})" if identity else ""), styles["Heading3"]),
        paragraph(
            _(
                "Récapitulatif, par entreprise, des heures de travail que ses salariés ont "
                "données à l'association pendant leur temps de travail, validées par "
                "l'association sur probono, et de leur valorisation au coût horaire chargé "
                "déclaré par l'entreprise. Il sert de base au reçu fiscal (formulaire "
                "Cerfa n° 16216) que l'association délivre à chaque entreprise."
            ),
            styles["BodyText"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    if rows:
        total_hours = sum((r["hours"] for r in rows), Decimal(0))
        total_value = sum((r["valuation"] for r in rows), Decimal(0))
        story.append(
            _table(
                [[_("Entreprise"), _("SIREN"), _("Salariés"), _("Heures"), _("Valorisation")]]
                + [
                    [
                        plain(r["company"].name, styles["BodyText"]),
                        r["company"].siren,
                        str(r["volunteers"]),
                        fr_number(r["hours"], 2),
                        f"{fr_number(r['valuation'])} €",
                    ]
                    for r in rows
                ]
                + [[_("Total"), "", "", fr_number(total_hours, 2), f"{fr_number(total_value)} €"]],
                [6 * cm, 2.6 * cm, 2 * cm, 2.4 * cm, 3.5 * cm],
            )
        )
    else:
        story.append(
            paragraph(
                _("Aucun engagement sur le temps de travail validé cette année."),
                styles["BodyText"],
            )
        )
    story += [
        Spacer(1, 0.5 * cm),
        paragraph(
            _("Document généré par probono le %(date)s."),
            styles["Italic"],
            date=timezone.localdate().strftime("%d/%m/%Y"),
        ),
    ]
    doc.build(story)
    return out.getvalue()
