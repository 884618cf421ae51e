"""One rule for tests that need a part of the machine (PostgreSQL, Chromium, Radicale, zbarimg):
skip locally when it is missing, fail in CI where REQUIRE_ALL=1 says everything must be there."""

import os

import pytest


def all_parts_required() -> bool:
    return os.environ.get("REQUIRE_ALL") == "1"


def missing_part(reason: str):
    """Stop the test: a failure under REQUIRE_ALL=1, a skip otherwise."""
    if all_parts_required():
        pytest.fail(f"{reason} (REQUIRE_ALL=1)")
    pytest.skip(reason)
