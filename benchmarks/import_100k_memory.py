"""Benchmark: peak memory of a 100,000-row import through the pages, and the cost of crafted workbooks.

Run from the project root:

    python -m benchmarks.import_100k_memory

1. HR uploads a 100,000-row CSV, opens two preview pages and confirms, with
   Django's test client, in a child process that reports its own peak RSS
   (the database is migrated beforehand, by another process, so the
   migration does not count). Goal: under 300 MB.
2. Reading a 100,000-row XLSX export (for reference: the largest workbook
   accepted) and each crafted workbook of ``tests/onboarding/crafted_xlsx``,
   each in its own child process: CPU seconds and peak RSS of
   ``parsed_import``. Goal: no crafted workbook costs more CPU than the
   largest accepted one, and none more than 300 MB.

Prints one JSON line per figure (see ``_common.emit``); ``..._ratio`` lines
give the figure divided by its goal (<= 1 meets it). SIZE=20000 in the
environment runs it with fewer rows.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._common import ROOT, emit
from benchmarks.import_50k import child_env, migrated_database, write_csv

ROWS = int(os.environ.get("SIZE", "100000"))
MEMORY_GOAL_MB = 300

# Runs in the child: the whole import through the pages, then its own peak RSS (KB on Linux) as JSON.
# Settings load with DEBUG=1 (plain static files, as in _common.setup_django), then DEBUG is switched off.
WEB_IMPORT = """
import json, resource, sys, time
import django
django.setup()
from django.conf import settings
settings.DEBUG = False
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from onboarding.models import Newcomer, User

hr = User.objects.create(email="hr@bench.example.org", first_name="Hanna", last_name="de Ruiter", language="en")
hr.groups.add(Group.objects.get(name="HR"))
TOTP.activate(hr, generate_totp_secret())
from tests.mfa_support import sign_in  # noqa: E402

client = Client()
sign_in(client, hr)  # with the second factor's record, as after a full login
seconds = {}

def step(name, call, status):
    started = time.perf_counter()
    response = call()
    seconds[name] = round(time.perf_counter() - started, 2)
    assert response.status_code == status, (name, response.status_code, response.content[:2000])
    return response

with open(sys.argv[1], "rb") as csv_file:
    content = csv_file.read()
upload = SimpleUploadedFile("newcomers.csv", content)
del content
response = step("upload", lambda: client.post(reverse("import_upload"), {"file": upload}), 302)
del upload
preview = response.url
step("preview", lambda: client.get(preview), 200)
step("preview_page_2", lambda: client.get(preview, {"page": 2}), 200)
from onboarding.models import ImportBatch
batch = ImportBatch.objects.latest("pk")
step("confirm", lambda: client.post(reverse("import_confirm", args=[batch.pk])), 302)
assert Newcomer.objects.count() == int(sys.argv[2]), Newcomer.objects.count()
print(json.dumps({"seconds": seconds, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

# Runs in the child: parsed_import of one file, CPU seconds, peak RSS and the verdict as JSON.
PARSE = """
import json, resource, sys, time
import django
django.setup()
from django.utils import translation
from onboarding.imports.reading import parsed_import
with open(sys.argv[1], "rb") as workbook:
    content = workbook.read()
started = time.process_time()
with translation.override("en"):
    result = parsed_import(content, filename="export.xlsx")
cpu = time.process_time() - started
verdict = result.file_errors[0] if result.file_errors else f"{len(result.rows)} rows read"
print(json.dumps({"cpu": cpu, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "verdict": verdict}))
"""


def run_child(code: str, args: list[str], database: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**child_env(database), "DEBUG": "1"},
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(f"the child failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def web_import(folder: Path, template: Path) -> None:
    csv_path = folder / "newcomers.csv"
    write_csv(csv_path, rows=ROWS)
    database = folder / "web.sqlite3"
    shutil.copyfile(template, database)
    figures = run_child(WEB_IMPORT, [str(csv_path), str(ROWS)], database)
    megabytes = figures["maxrss_kb"] / 1024
    for step, seconds in figures["seconds"].items():
        emit(f"import_{ROWS // 1000}k_web_{step}_seconds", seconds, "s")
    emit(f"import_{ROWS // 1000}k_web_peak_memory", megabytes, "MB", f"< {MEMORY_GOAL_MB}")
    emit(f"import_{ROWS // 1000}k_web_peak_memory_ratio", megabytes / MEMORY_GOAL_MB, "ratio", "<= 1")


def largest_accepted_workbook(path: Path) -> None:
    """A 100,000-row export as Excel writes it: shared strings, dates as styled numbers."""
    from tests.onboarding.crafted_xlsx import workbook

    header = ["personeelsnummer", "voornamen", "achternaam", "e-mail", "datum_in_dienst", "soort"]
    header.append("e-mail_leidinggevende")
    strings = [*header, "medewerker", "Anna", "Jan-Willem"]
    fixed = len(strings)

    def string(text):
        return f"<si><t>{text}</t></si>".encode()

    def shared_strings():
        yield b"".join(string(text) for text in strings)
        for n in range(ROWS):
            yield string(f"P{200000 + n}") + string(f"Özdemir{n}") + string(f"nieuw{n}@example.org")
        for n in range(200):
            yield string(f"manager{n}@example.org")

    def rows():
        yield b'<row r="1">' + b"".join(f'<c t="s"><v>{i}</v></c>'.encode() for i in range(len(header))) + b"</row>"
        for n in range(ROWS):
            own = fixed + 3 * n
            yield (
                f'<row r="{n + 2}"><c t="s"><v>{own}</v></c><c t="s"><v>{8 + n % 2}</v></c>'
                f'<c t="s"><v>{own + 1}</v></c><c t="s"><v>{own + 2}</v></c><c s="1"><v>{46023 + n % 365}</v></c>'
                f'<c t="s"><v>7</v></c><c t="s"><v>{fixed + 3 * ROWS + n % 200}</v></c></row>'
            ).encode()

    styles = [b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>']
    path.write_bytes(workbook(sheet_rows=rows(), shared_strings=shared_strings(), styles=styles))


def crafted_workbooks(folder: Path, template: Path) -> None:
    from tests.onboarding.crafted_xlsx import CRAFTED

    reference = folder / "largest.xlsx"
    largest_accepted_workbook(reference)
    figures = run_child(PARSE, [str(reference)], template)
    goal = figures["cpu"]
    emit(f"import_xlsx_{ROWS // 1000}k_read_cpu", goal, "s", None)
    emit(f"import_xlsx_{ROWS // 1000}k_read_peak_memory", figures["maxrss_kb"] / 1024, "MB", None)
    worst = 0.0
    for name, build in CRAFTED.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(build())
        figures = run_child(PARSE, [str(path)], template)
        worst = max(worst, figures["cpu"])
        size = f"{path.stat().st_size // 1024} KB packed"
        emit(f"import_crafted_{name}_cpu", figures["cpu"], "s", f"< {goal:.2f} ({size}; {figures['verdict'][:60]})")
        emit(f"import_crafted_{name}_peak_memory", figures["maxrss_kb"] / 1024, "MB", f"< {MEMORY_GOAL_MB}")
    emit("import_crafted_worst_cpu_ratio", worst / goal, "ratio", "<= 1 (to reading the largest accepted workbook)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="import-100k-") as tmp:
        folder = Path(tmp)
        template = migrated_database(folder)
        web_import(folder, template)
        crafted_workbooks(folder, template)


if __name__ == "__main__":
    main()
