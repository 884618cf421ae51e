"""The annual figures as a report: the paragraph, the table rows, the chart, exports.

Pure functions over the dict from ``eed.counts.figures.annual_counts``.
"""

from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def figure_text(value) -> str:
    """A figure as the active language writes it: "1.234" and "83,3" in Dutch, "1,234" and "83.3" in English."""
    return number_format(value, use_l10n=True, force_grouping=True)


def annual_paragraph(counts: dict, *, language: str = "nl") -> str:
    """The paragraph for the annual report, ready to paste."""
    sworn = counts["sworn"]
    dilemma = counts["dilemma_game_participants"]
    with translation.override(language):
        sentences = [
            _(
                "In %(year)s, %(employees)s employees, %(trainees)s trainees and %(griffie)s staff of the griffie "
                "took the oath or affirmation."
            )
            % {
                "year": counts["year"],
                "employees": figure_text(sworn["employee"]),
                "trainees": figure_text(sworn["trainee"]),
                "griffie": figure_text(sworn["griffie"]),
            },
        ]
        if sworn["total"]:
            share = number_format(round(counts["on_time"]["share"] * 100), use_l10n=True)
            sentences.append(_("%(share)s%% of them did so within the legal term.") % {"share": share})
        if dilemma["total"]:
            sentences.append(
                ngettext(
                    "The dilemma game was played by %(count)s employee.",
                    "The dilemma game was played by %(count)s employees.",
                    dilemma["total"],
                )
                % {"count": figure_text(dilemma["total"])}
            )
        if counts["declarations_signed"]:
            sentences.append(
                ngettext(
                    "%(count)s external signed the integrity declaration.",
                    "%(count)s externals signed the integrity declaration.",
                    counts["declarations_signed"],
                )
                % {"count": figure_text(counts["declarations_signed"])}
            )
    return " ".join(sentences)


def figure_rows(counts: dict) -> list[tuple[str, object, object]]:
    """(label, this year, previous year) for the table and the exports, in reading order."""
    now, before = counts, counts["previous_year"]

    def pair(*path):
        def get(source):
            for key in path:
                source = source[key]
            return source

        return get(now), get(before)

    rows = [
        (_("Employees sworn"), *pair("sworn", "employee")),
        (_("Trainees sworn"), *pair("sworn", "trainee")),
        (_("Griffie staff sworn"), *pair("sworn", "griffie")),
        (_("Sworn in total"), *pair("sworn", "total")),
        (_("Oath"), *pair("by_form", "oath")),
        (_("Affirmation"), *pair("by_form", "affirmation")),
        (_("Sworn on time"), *pair("on_time", "count")),
        (_("Share sworn on time (%)"), *(round(v * 100, 1) for v in pair("on_time", "share"))),
        (_("Not sworn by their deadline"), *pair("not_sworn_by_deadline")),
        (_("Integrity declarations signed"), *pair("declarations_signed")),
        (_("Dilemma game: in ceremonies"), *pair("dilemma_game_participants", "ceremony")),
        (_("Dilemma game: team sessions"), *pair("dilemma_game_participants", "team")),
        (_("Dilemma game: participants in total"), *pair("dilemma_game_participants", "total")),
    ]
    return rows


CHART_KINDS = (("employee", "bar--employee"), ("trainee", "bar--trainee"), ("griffie", "bar--griffie"))


def _kind_titles() -> dict[str, str]:
    return {"employee": _("employees"), "trainee": _("trainees"), "griffie": _("griffie staff")}


def chart_bars(series: dict[int, dict]) -> dict:
    """Geometry of a server-rendered chart of those sworn per year: small multiples, one panel per kind.

    Each panel has its own scale, so the few trainees and griffie staff read as
    clearly as the many employees; each bar carries its figure. Years run down
    the rows, the same in every panel. ``rows`` are the chart's figures for the
    table beside it. Coordinates are SVG user units (y downwards); labels are
    text in the active language's number format.
    """
    width, left, gap, label_room = 640, 48, 18, 44
    title_y, first_row, row_height, bar_height = 16, 30, 26, 16
    years = sorted(series)
    height = first_row + row_height * len(years) + 6
    panel_width = (width - left - gap * (len(CHART_KINDS) - 1)) / len(CHART_KINDS)
    titles = _kind_titles()
    panels = []
    for index, (kind, css) in enumerate(CHART_KINDS):
        x = left + index * (panel_width + gap)
        highest = max([series[year]["sworn"][kind] for year in years] + [1])
        scale = (panel_width - label_room) / highest
        bars = []
        for row, year in enumerate(years):
            value = series[year]["sworn"][kind]
            y = first_row + row * row_height + (row_height - bar_height) / 2
            length = value * scale
            bars.append(
                {
                    "year": year,
                    "value": value,
                    "label": figure_text(value),
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "width": round(length, 1),
                    "height": bar_height,
                    "label_x": round(x + length + 4, 1),
                    "label_y": round(y + bar_height - 3, 1),
                    "css": css,
                }
            )
        panels.append(
            {
                "kind": kind,
                "title": capfirst(titles[kind]),
                "x": round(x, 1),
                "title_y": title_y,
                "axis_top": first_row - 2,
                "axis_bottom": height - 4,
                "bars": bars,
            }
        )
    return {
        "width": width,
        "height": height,
        "year_x": left - 8,
        "years": [
            {"year": year, "y": round(first_row + row * row_height + row_height / 2 + 4, 1)}
            for row, year in enumerate(years)
        ],
        "panels": panels,
        "rows": [
            {
                "year": year,
                "values": [figure_text(series[year]["sworn"][kind]) for kind, _css in CHART_KINDS],
                "total": figure_text(series[year]["sworn"]["total"]),
            }
            for year in years
        ],
    }
