"""Every column that names a person is answered for, by the download and by the deletion alike."""
from __future__ import annotations

from engage.extensions import db
from engage.privacy import registry


def _columns_naming_people() -> set[str]:
    return {f"{table.name}.{fk.parent.name}" for table in db.metadata.tables.values()
            for fk in table.foreign_keys if fk.column.table.name == "users" and fk.column.name == "id"}


def test_every_foreign_key_to_users_is_covered_by_the_registry(app):
    naming = _columns_naming_people()
    assert {"comments.author_id", "supports.user_id", "audit_events.actor_id"} <= naming  # the walk finds them
    missing = naming - registry.covered_columns()
    assert not missing, f"add these to engage.privacy.sources (export and erase): {sorted(missing)}"
    stale = registry.covered_columns() - naming
    assert not stale, f"the registry names columns that do not exist: {sorted(stale)}"


def test_every_entry_exports_and_erases():
    for entry in registry.entries():
        assert callable(entry.export) and callable(entry.erase) and callable(entry.count), entry.name
        assert str(entry.description), entry.name
    names = [entry.name for entry in registry.entries()]
    assert len(names) == len(set(names))
    assert registry.erasure_order()[-1].name == "account"  # the account itself goes last


def test_the_privacy_notice_lists_every_file_in_every_language(app):
    for language in ("uk", "en", "es"):
        client = app.test_client()
        page = client.get("/privacy", headers={"Accept-Language": language}).get_data(as_text=True)
        for entry in registry.entries():
            assert f"{entry.name}.json" in page, (language, entry.name)
        assert {"uk": "Видалити мій обліковий запис", "en": "Delete my account",
                "es": "Eliminar mi cuenta"}[language] in page
