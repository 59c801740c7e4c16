"""The schema is only ever made by migrations: up and down on both databases,
and the models never drift from them."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.helpers import PG_ADMIN_URL, ROOT, pg_available, app_settings


def _fresh_url(kind: str, tmp_path):
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}", None
    problem = pg_available()
    if problem:
        pytest.skip(problem)
    name = f"feedback_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, (admin, name)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_downgrade_upgrade(kind, tmp_path):
    from flask_migrate import downgrade, upgrade

    from feedback import create_app
    from feedback.extensions import db

    url, cleanup = _fresh_url(kind, tmp_path)
    directory = str(ROOT / "migrations")
    app = create_app(app_settings(url))
    try:
        with app.app_context():
            upgrade(directory=directory)
            tables = set(inspect(db.engine).get_table_names())
            assert {"action_card", "feedback_entry", "theme", "contract", "audit_event",
                    "user", "organisation"} <= tables
            model_tables = {t.name for t in db.metadata.sorted_tables}
            assert model_tables <= tables, f"tables without a migration: {model_tables - tables}"
            downgrade(directory=directory, revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade(directory=directory)
            assert model_tables <= set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()
    finally:
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_models_match_migrations(app):
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from feedback.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models differ from migrations: {diff}"


def test_one_migration_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
