"""Administration: users and their roles."""

from engage.core.features import Feature

feature = Feature(
    name="admin",
    blueprints=("engage.admin.views:bp",),
)
