"""Plumbing both apps share and that knows no model: the request edge, the clock of the jobs, text rules,
rate limits, the headers of public pages, CSRF for no-referrer pages, personal-link tokens, file downloads
and PDF fonts.

Nothing here imports ``onboarding`` or ``eed`` (tests/test_layout.py checks it).
"""
