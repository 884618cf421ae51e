"""The libraries only a few pages need are loaded by those pages, not by every process.

A web worker and an import load the URLconf (every view); pyHanko (the seal), pikepdf (PDF/A) and openpyxl
(XLSX) together added ~45 MB to each of them, and the 100,000-row import through the pages went over its
300 MB (benchmarks/import_100k_memory). Checked in a fresh interpreter, as a worker starts.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

HEAVY = ("pyhanko", "pyhanko_certvalidator", "pikepdf", "openpyxl")

LOAD_EVERY_VIEW = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_loading_every_view_leaves_the_seal_pdfa_and_xlsx_libraries_unloaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_VIEW], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []


def test_the_libraries_are_there_when_a_document_is_made():
    """The other half: the lazy imports resolve (a typo in one would only show when a PDF is asked for)."""
    from core import pdf_seal, pdfa, xlsx

    assert pdfa.pdfa_from_reportlab and pdf_seal.seal_check(b"%PDF-1.7 /ByteRange") is None
    with xlsx.xlsx_file(["a"], [["b"]], title="t") as file:
        assert file.read(2) == b"PK"
