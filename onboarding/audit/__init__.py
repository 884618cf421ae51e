"""The audit trail: one chained entry per change, and a newcomer's history read from it."""
