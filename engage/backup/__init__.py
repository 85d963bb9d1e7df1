"""Backups that restore: one file holding the database and the uploaded documents.

``flask backup create PATH`` writes the archive (see :mod:`engage.backup.archive`), ``flask backup
verify PATH`` checks it without touching anything, ``flask backup restore PATH`` puts it back and
upgrades an older schema to the migrations' head (:mod:`engage.backup.services`). How each database
is copied consistently while the site runs is in :mod:`engage.backup.databases`.
"""

from engage.core.features import Feature

feature = Feature(
    name="backup",
    commands=("engage.backup.cli:backup_cli",),
)
