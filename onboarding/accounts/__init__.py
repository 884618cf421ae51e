"""Accounts: users, their roles, the login adapters, the second factor, invitations and the language choice."""
