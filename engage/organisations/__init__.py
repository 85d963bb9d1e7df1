"""The register of civil society organisations: registration, representatives, verification."""

from engage.core.features import Feature

feature = Feature(
    name="organisations",
    registers=("engage.organisations.models", "engage.organisations.permissions"),
    blueprints=("engage.organisations.views:bp",),
    template_globals=(
        ("area_label", "engage.organisations.kinds:area_label"),
        ("organisation_kind_label", "engage.organisations.kinds:kind_label"),
    ),
    demo="engage.organisations.demo",
)
