"""The schema comes only from migrations, and they match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from engage.core.database import include_object
from engage.extensions import db
from tests.conftest import drop_everything


def test_empty_database_upgrades_to_head_matching_the_models(app):
    with app.app_context():
        drop_everything()
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "user_roles", "rounds", "phases", "proposals", "supports", "alembic_version"} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True, "include_object": include_object})
            assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_base_and_back(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()


def test_flask_db_check_reports_nothing_to_do(runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
