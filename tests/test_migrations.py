"""The schema the migrations build is the schema the models describe, on each backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from directory.extensions import db


def test_migrations_build_the_models_schema(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_leave_a_version_row(app):
    with app.app_context(), db.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version


def test_duplicate_open_endorsements_are_resolved_before_the_unique_index(tmp_path):
    """Rows a race left behind: the oldest stays open, the later one is withdrawn, not deleted."""
    from flask_migrate import downgrade
    from flask_migrate import upgrade

    from directory import create_app
    from directory.endorsements.models import Endorsement
    from tests.badges import ob_factories as factories

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
                      "SECRET_KEY": "x", "KEY_ENCRYPTION_KEY": "x", "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade(revision="b4ed0149c409")
        # The models differ from this revision only by the index under test.
        issuer = factories.organisation()
        badge = factories.badge_class(issuer)
        partner = factories.organisation(kind="local_authority")
        for uuid in ("e1", "e2"):
            db.session.add(Endorsement(uuid=uuid, endorser=partner, target_type="badge_class", badge_class=badge,
                                       comment="Oui", state="active"))  # fmt: skip
            db.session.flush()
        db.session.commit()
        upgrade(revision="c1e0d0e5a001")
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT uuid, state, reason FROM endorsements ORDER BY id").all()
        downgrade(revision="b4ed0149c409")
        db.engine.dispose()
    assert [(uuid, state) for uuid, state, _ in rows] == [("e1", "active"), ("e2", "withdrawn")]
    assert rows[1][2].startswith("Doublon")
