"""Plumbing both apps share and that knows no model: the request edge, the clock of the jobs, text rules,
rate limits, CSRF for no-referrer pages, personal-link tokens, file downloads and PDF fonts.

Nothing here imports ``onboarding`` or ``eed`` (tests/test_layout.py checks it).
"""
