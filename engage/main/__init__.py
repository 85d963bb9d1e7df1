"""The home page, static pages, the language switcher and the health check."""

from engage.core.features import Feature

feature = Feature(
    name="main",
    blueprints=("engage.main.views:bp",),
    commands=(
        "engage.cli:translate_cli",
        "engage.demo:demo_cli",
        "engage.maintenance:maintenance_cli",
    ),
)
