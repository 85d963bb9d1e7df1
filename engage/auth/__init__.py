"""Accounts: registration, confirmation, sign-in, password reset, profile."""
