"""Flags and moderation decisions."""

from engage.core.features import Feature

feature = Feature(
    name="moderation",
    registers=("engage.moderation.models", "engage.moderation.permissions"),
    blueprints=("engage.moderation.views:bp",),
)
