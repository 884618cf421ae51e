"""One rule for tests that need a part of the machine (PostgreSQL, Chromium, Radicale, zbarimg):
skip locally when it is missing, fail in CI where REQUIRE_ALL=1 says everything must be there."""

import os
from pathlib import Path

import pytest

# Pictures of pages and PDFs, to look at after a run. CI runs its SQLite and PostgreSQL passes side by
# side, each with its own TEST_SCREENSHOTS, so they never write or remove each other's files.
SCREENSHOTS = Path(
    os.environ.get("TEST_SCREENSHOTS") or Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
).resolve()


def all_parts_required() -> bool:
    return os.environ.get("REQUIRE_ALL") == "1"


def missing_part(reason: str):
    """Stop the test: a failure under REQUIRE_ALL=1, a skip otherwise."""
    if all_parts_required():
        pytest.fail(f"{reason} (REQUIRE_ALL=1)")
    pytest.skip(reason)
