"""Ceremonies, appointments, certificates: built in the ceremonies issue."""
