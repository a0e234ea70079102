"""The migrations and the models agree: upgrading an empty database to head and
autogenerating against the models finds no difference."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from ideas.extensions import db as _db


def _drop_everything(db):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_migrations_match_models(app, db):
    _drop_everything(db)
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_downgrade_to_base_and_up_again(app, db):
    _drop_everything(db)
    upgrade()
    downgrade(revision="base")
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "ideas", "votes", "challenges"} <= tables
