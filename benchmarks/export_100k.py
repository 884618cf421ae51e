"""The newcomer export at 100,000 newcomers: time, rows per second and peak memory, CSV and XLSX.

HR downloads ``/newcomers/?_export=csv`` (and ``xlsx``) through the real view with Django's test
client, read to its last byte chunk by chunk, as a browser receives it. Figures:

* seconds and rows per second of the CSV at SIZE rows (goal: 100,000 rows in under 10 s);
* the peak of Python's memory (tracemalloc) while the CSV is made and read, at a tenth of SIZE and at
  SIZE: the export is streamed, so the ratio stays near 1 however many rows (goal: at most 1.5); the
  tracemalloc runs are apart from the timed ones, whose time it would double;
* the same for the XLSX (openpyxl's write-only mode, written to a temporary file): for reference.

The newcomers are bulk-created (benchmarks/newcomer_list.py's mix of kinds, managers and start dates).

    python -m benchmarks.export_100k            # SIZE=20000 for a quicker look
"""

import os
import random
import time
import tracemalloc

from benchmarks._common import emit, setup_django, sign_in
from benchmarks.newcomer_list import add_newcomers, make_users

SIZE = int(os.environ.get("SIZE", "100000"))
SMALL = max(SIZE // 10, 1)
TIME_GOAL_100K = 10.0  # seconds for 100,000 rows, scaled to SIZE
MEMORY_RATIO_GOAL = 1.5


def download(client, url) -> tuple[int, int]:
    """(bytes, lines) of the download, read chunk by chunk."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return size, lines


def timed(client, url) -> tuple[float, int, int]:
    started = time.perf_counter()
    size, lines = download(client, url)
    return time.perf_counter() - started, size, lines


def peak_memory(client, url) -> int:
    """Bytes at the peak of Python's allocations while the download is made and read."""
    tracemalloc.start()
    try:
        download(client, url)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main():
    setup_django()

    from django.test import Client
    from django.urls import reverse

    rng = random.Random(20220101)
    hr, managers = make_users()
    client = Client()
    sign_in(client, hr)
    csv_url = reverse("newcomer_list") + "?status=all&_export=csv"
    xlsx_url = reverse("newcomer_list") + "?status=all&_export=xlsx"

    add_newcomers(SMALL, start=0, managers=managers, rng=rng)
    download(client, csv_url)  # warm up: translations, the first query plans
    memory = {"csv": {SMALL: peak_memory(client, csv_url)}, "xlsx": {SMALL: peak_memory(client, xlsx_url)}}

    started = time.perf_counter()
    add_newcomers(SIZE - SMALL, start=SMALL, managers=managers, rng=rng)
    emit(f"export_{SIZE}_build_seconds", time.perf_counter() - started, "s", None)

    seconds, size, lines = timed(client, csv_url)
    if lines != SIZE + 1:
        raise RuntimeError(f"the CSV has {lines} lines, not {SIZE + 1}")
    memory["csv"][SIZE] = peak_memory(client, csv_url)
    xlsx_seconds, xlsx_size, _lines = timed(client, xlsx_url)
    memory["xlsx"][SIZE] = peak_memory(client, xlsx_url)

    goal = TIME_GOAL_100K * SIZE / 100_000
    emit(f"export_csv_{SIZE}_seconds", seconds, "s", f"< {goal:g}")
    emit(f"export_csv_{SIZE}_seconds_ratio", seconds / goal, "ratio", "<= 1")
    emit(f"export_csv_{SIZE}_rows_per_second", round(SIZE / seconds), "rows/s", None)
    emit(f"export_csv_{SIZE}_megabytes", size / 1e6, "MB", None)
    for export_format, peaks in memory.items():
        for rows, peak in peaks.items():
            emit(f"export_{export_format}_{rows}_peak_memory", peak / 1e6, "MB", None)
        ratio_goal = f"<= {MEMORY_RATIO_GOAL}" if export_format == "csv" else None
        emit(f"export_{export_format}_peak_memory_ratio", peaks[SIZE] / peaks[SMALL], "ratio", ratio_goal)
    emit(f"export_xlsx_{SIZE}_seconds", xlsx_seconds, "s", None)
    emit(f"export_xlsx_{SIZE}_megabytes", xlsx_size / 1e6, "MB", None)


if __name__ == "__main__":
    main()
