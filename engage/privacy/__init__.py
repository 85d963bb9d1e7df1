"""The two privacy rights residents are promised: download everything kept about them, and delete their
account. What each feature keeps about a person is described once, in :mod:`engage.privacy.registry`, by
the modules of :mod:`engage.privacy.sources`; the download and the deletion both read that description."""

from engage.core.features import Feature

feature = Feature(
    name="privacy",
    registers=("engage.privacy.permissions", "engage.privacy.sources"),
    blueprints=("engage.privacy.views:bp",),
)
