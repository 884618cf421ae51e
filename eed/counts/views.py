"""HR's annual figures page and its CSV, XLSX and PDF exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.clock import local_today
from core.exports import export_response
from core.responses import PDF, file_response
from eed.counts.figures import counts_for_years, with_previous_year
from eed.counts.pdf import counts_pdf
from eed.counts.report import annual_paragraph, chart_bars, figure_rows
from onboarding.accounts.access import hr_required
from onboarding.organisation import organisation_current, organisation_data

# The chart's years, the requested one last; at least two (the page compares with the year before).
CHART_YEARS = 5


def _requested_year(request) -> int:
    default = local_today().year - 1
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1990 <= year <= 2200 else default


def _export(counts: dict, export_format: str, rows, paragraph: str, chart: dict) -> HttpResponse:
    year = counts["year"]
    header = (_("Figure"), str(year), str(year - 1))
    filename = f"jaarcijfers-eed-{year}"
    if export_format == "pdf":
        letterhead = organisation_data(organisation_current())
        content = counts_pdf(
            title=_("Oath, affirmation and integrity: figures for %(year)s") % {"year": year},
            organisation=letterhead.name,
            letterhead=letterhead,
            paragraph=paragraph,
            header=header,
            rows=rows,
            chart=chart,
            legend=_(
                "One panel per kind, each with its own scale: compare the years within a panel; "
                "the table below gives every figure."
            ),
        )
        return file_response(content, filename=f"{filename}.pdf", content_type=PDF)
    title = _("Annual figures %(year)s") % {"year": year}
    return export_response(header, rows, export_format=export_format, filename=filename, title=title)


@hr_required
def annual_counts_page(request):
    year = _requested_year(request)
    # One computation for the chart's years, the year and the one before it among them.
    series = counts_for_years(range(year - CHART_YEARS + 1, year + 1))
    counts = with_previous_year(series, year=year)
    rows = figure_rows(counts)
    paragraph = annual_paragraph(counts, language=request.LANGUAGE_CODE)
    chart = chart_bars(series)
    export_format = request.GET.get("export")
    if export_format in ("csv", "xlsx", "pdf"):
        return _export(counts, export_format, rows, paragraph, chart)
    context = {
        "year": year,
        "counts": counts,
        "rows": rows,
        "paragraph": paragraph,
        "chart": chart,
        "years": range(local_today().year, local_today().year - 12, -1),
    }
    return render(request, "eed/annual_counts.html", context)
