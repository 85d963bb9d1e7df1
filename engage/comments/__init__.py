"""Threaded comments on rounds, proposals and the pages that have their own discussion."""

from engage.core.features import Feature

feature = Feature(
    name="comments",
    registers=("engage.comments.models", "engage.comments.permissions", "engage.comments.sections"),
    blueprints=("engage.comments.views:bp",),
)
