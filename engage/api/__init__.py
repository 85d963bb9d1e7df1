"""The public read-only API and the open-data downloads."""

from engage.core.features import Feature

feature = Feature(
    name="api",
    blueprints=("engage.api.views:bp", "engage.api.views:downloads"),
)
