"""Fixtures shared by the ceremony tests."""

from tests.eed.test_radicale_lifecycle import radicale  # noqa: F401 - a fresh Radicale CalDAV server
