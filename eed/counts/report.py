"""The annual figures as a report: the paragraph, the table rows, the chart, exports.

Pure functions over the dict from ``eed.counts.figures.annual_counts``.
"""

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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
                "employees": sworn["employee"],
                "trainees": sworn["trainee"],
                "griffie": sworn["griffie"],
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
                % {"count": dilemma["total"]}
            )
        if counts["declarations_signed"]:
            sentences.append(
                ngettext(
                    "%(count)s external signed the integrity declaration.",
                    "%(count)s externals signed the integrity declaration.",
                    counts["declarations_signed"],
                )
                % {"count": counts["declarations_signed"]}
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


def chart_bars(series: dict[int, dict]) -> dict:
    """Geometry of a server-rendered bar chart: sworn per year, stacked by kind."""
    width, height, left, bottom, top = 640, 280, 48, 36, 16
    years = sorted(series)
    highest = max([series[y]["sworn"]["total"] for y in years] + [1])
    step = (width - left - 16) / max(len(years), 1)
    bar = step * 0.6
    scale = (height - bottom - top) / highest
    bars = []
    for index, year in enumerate(years):
        x = left + index * step + (step - bar) / 2
        base = height - bottom
        segments = []
        for kind, css in (("employee", "bar--employee"), ("trainee", "bar--trainee"), ("griffie", "bar--griffie")):
            value = series[year]["sworn"][kind]
            h = value * scale
            segments.append(
                {
                    "x": round(x, 1),
                    "y": round(base - h, 1),
                    "width": round(bar, 1),
                    "height": round(h, 1),
                    "css": css,
                    "value": value,
                    "kind": kind,
                }
            )
            base -= h
        bars.append(
            {
                "year": year,
                "total": series[year]["sworn"]["total"],
                "segments": segments,
                "label_x": round(x + bar / 2, 1),
                "total_y": round(base - 4, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "axis_y": height - bottom,
        "left": left,
        "bars": bars,
        "label_y": height - bottom + 18,
    }
