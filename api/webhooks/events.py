"""Receivers of the domain events: filled in with the webhooks."""
