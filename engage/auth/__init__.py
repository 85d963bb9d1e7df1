"""Accounts: registration, confirmation, sign-in, password reset, profile."""

from engage.core.features import Feature

feature = Feature(
    name="auth",
    registers=("engage.auth.models",),
    blueprints=("engage.auth.views:bp",),
    commands=("engage.auth.cli:users_cli",),
    demo="engage.auth.demo",
)
