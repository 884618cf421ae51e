"""Newcomers: who must take the oath or affirmation (or sign the declaration), by when, and their status."""
