import json

from django.core.management.base import BaseCommand, CommandError

from core.clock import local_today
from core.exports import csv_text
from eed.counts.figures import annual_counts
from eed.counts.report import annual_paragraph, figure_rows


class Command(BaseCommand):
    help = "Print the annual integrity figures for a year (json, csv, or the Dutch paragraph as text)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="calendar year (default: last year)")
        parser.add_argument("--format", choices=["json", "csv", "text"], default="json")
        parser.add_argument("--language", default="nl", help="language of the text and CSV labels (nl, en)")

    def handle(self, *args, year=None, format="json", language="nl", **options):
        year = year or local_today().year - 1
        if not 1900 <= year <= 2200:
            raise CommandError("--year must be a calendar year such as 2022.")
        counts = annual_counts(year=year)
        if format == "json":
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
        elif format == "text":
            self.stdout.write(annual_paragraph(counts, language=language))
        else:
            from django.utils import translation

            with translation.override(language):
                header = ["figure", str(year), str(year - 1)]
                self.stdout.write(csv_text(header, figure_rows(counts)), ending="")
