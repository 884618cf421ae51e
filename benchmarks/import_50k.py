"""Benchmark: import 50,000 newcomers from CSV with the management command.

Run from the project root, either way:

    python -m benchmarks.import_50k
    python benchmarks/import_50k.py

Generates the CSV in a temporary folder, migrates a fresh SQLite database
there, then runs ``manage.py import_newcomers FILE`` in a child process that
reports its own peak RSS (so the migration does not count), three times, each
into a copy of the empty database. Prints two JSON lines: the median wall
time of the import child and its highest peak memory.
"""

import csv
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 50_000
MANAGERS = 200
RUNS = 3

# Runs manage.py in-process and writes its own ru_maxrss (KB on Linux) to argv[1].
WRAPPER = """
import resource, runpy, sys
report, sys.argv = sys.argv[1], ["manage.py", *sys.argv[2:]]
try:
    runpy.run_path("manage.py", run_name="__main__")
finally:
    with open(report, "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def write_csv(path: Path, rows: int = ROWS) -> None:
    """A realistic HR export: Dutch headers, semicolons, Windows-1252, dd-mm-yyyy dates."""
    kinds = ("medewerker", "medewerker", "medewerker", "trainee", "griffie", "extern")
    first_day = datetime.date(2026, 1, 1)
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            [
                "personeelsnummer",
                "voornamen",
                "tussenvoegsel",
                "achternaam",
                "e-mail",
                "datum_in_dienst",
                "soort",
                "e-mail_leidinggevende",
                "aanstellend_orgaan",
            ]
        )
        for n in range(rows):
            writer.writerow(
                [
                    f"P{200000 + n}",
                    "Zoë Anna" if n % 2 else "Jan-Willem",
                    "van der" if n % 3 == 0 else "",
                    f"Özdemir{n}",
                    f"nieuw{n}@example.org",
                    (first_day + datetime.timedelta(days=n % 365)).strftime("%d-%m-%Y"),
                    kinds[n % len(kinds)],
                    f"manager{n % MANAGERS}@example.org",
                    "",
                ]
            )


def child_env(database: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-not-secret",
            "EMAIL_URL": "console://",
        }
    )
    return env


def migrated_database(folder: Path) -> Path:
    """A freshly migrated SQLite file, copied for each run so every import starts empty."""
    template = folder / "template.sqlite3"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=child_env(template), check=True)
    return template


def run_import(database: Path, csv_path: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one import child."""
    report = database.with_suffix(".maxrss")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", WRAPPER, str(report), "import_newcomers", str(csv_path)],
        cwd=ROOT,
        env=child_env(database),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    return seconds, int(report.read_text()) / 1024


def main(runs: int = RUNS) -> None:
    """Median wall time and highest peak memory over `runs` imports, each into an empty database."""
    timings, peaks = [], []
    with tempfile.TemporaryDirectory(prefix="import-50k-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "newcomers.csv"
        write_csv(csv_path)
        template = migrated_database(folder)
        for run in range(runs):
            database = folder / f"bench-{run}.sqlite3"
            shutil.copyfile(template, database)
            seconds, megabytes = run_import(database, csv_path)
            timings.append(seconds)
            peaks.append(megabytes)
    seconds, megabytes = statistics.median(timings), max(peaks)
    print(json.dumps({"name": "import_50k_seconds", "value": round(seconds, 2), "unit": "s", "goal": "< 30"}))
    print(json.dumps({"name": "import_50k_peak_memory", "value": round(megabytes, 1), "unit": "MB", "goal": "< 300"}))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
