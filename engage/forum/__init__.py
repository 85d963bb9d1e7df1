"""The multi-stakeholder forum: its mandate, members, balance and decisions."""

from engage.core.features import Feature

feature = Feature(
    name="forum",
    registers=("engage.forum.models", "engage.forum.permissions"),
    blueprints=("engage.forum.views:bp",),
    template_globals=(
        ("sector_label", "engage.forum.sectors:sector_label"),
        ("member_role_label", "engage.forum.sectors:role_label"),
    ),
    demo="engage.forum.demo",
)
