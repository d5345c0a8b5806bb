"""A crash in the middle of a bulk award (`flask badges award-csv`, SIGKILL) leaves nothing half-written.

The command checks the whole file, then writes every award in one transaction
(directory/badges/bulk.py). The process is killed once PostgreSQL shows its transaction has
started writing (it has a transaction id) and before it commits; afterwards the database holds
none of the file's awards, claim links or audit rows, and running the same command again awards
every line once. A third run is refused line by line ("already has this badge"): nothing doubles.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from directory import create_app
from directory.badges.models import Award
from directory.core.models import AuditEntry
from directory.extensions import db
from tests.badges import ob_factories as factories
from tests.scaleout.servers import ROOT
from tests.scaleout.servers import base_env

pytestmark = pytest.mark.scaleout

LINES = 3000
DEADLINE = 120  # seconds for the command to reach its writes on a loaded machine


@pytest.fixture(scope="module")
def badge_slug(scaleout_database) -> str:
    app = create_app({"SQLALCHEMY_DATABASE_URI": scaleout_database, "SECRET_KEY": "x",
                      "KEY_ENCRYPTION_KEY": "scaleout-key-encryption-key-0123456789", "RATELIMIT_ENABLED": False,
                      "SEARCH_BACKEND": "postgres"})  # fmt: skip
    with app.app_context():
        badge = factories.badge_class(factories.organisation(), slug=f"crash-{uuid.uuid4().hex[:8]}")
        slug = badge.slug
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return slug


@pytest.fixture
def csv_file(tmp_path, badge_slug):
    run = uuid.uuid4().hex[:8]
    rows = ["email,nom,badge,date"]
    rows += [f"crash-{run}-{n}@exemple.fr,Personne {n},{badge_slug},2026-01-15" for n in range(LINES)]
    path = tmp_path / "awards.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, f"crash-{run}-%"


def award_command(env: dict, path) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "badges", "award-csv", str(path), "--no-notify"]


def writing(engine, application_name: str) -> bool:
    """Whether the command's transaction has written something (PostgreSQL gave it an xid)."""
    with engine.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND backend_xid IS NOT NULL"
        return connection.execute(text(query), {"name": application_name}).scalar() > 0


def counts(engine, pattern: str, badge_slug: str) -> tuple[int, int]:
    """(awards to the file's addresses, "award.create" audit rows naming the file's badge class)."""
    with engine.connect() as connection:
        awards = connection.scalar(select(func.count()).select_from(Award).where(Award.recipient_email.like(pattern)))
        audit = connection.scalar(
            select(func.count()).select_from(AuditEntry)
            .where(AuditEntry.action == "award.create", AuditEntry.details["badge_class"].as_string() == badge_slug)
        )  # fmt: skip
    return awards, audit


def test_a_bulk_award_killed_mid_write_leaves_nothing_and_runs_again(scaleout_database, csv_file, badge_slug, tmp_path):
    path, pattern = csv_file
    name = f"badgeons-crash-{uuid.uuid4().hex[:8]}"
    env = base_env(tmp_path, DATABASE_URL=f"{scaleout_database}&application_name={name}", SEARCH_BACKEND="postgres")
    engine = create_engine(scaleout_database)
    try:
        process = subprocess.Popen(award_command(env, path), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + DEADLINE
        while not writing(engine, name):
            assert process.poll() is None, f"finished before it could be killed: {process.communicate()}"
            assert time.monotonic() < deadline, "the command never started writing"
            time.sleep(0.02)  # polling another process's transaction
        os.killpg(process.pid, signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
        process.stdout.close()
        process.stderr.close()

        # PostgreSQL rolls back a dead client's transaction; wait until its backend has gone.
        while writing(engine, name):
            assert time.monotonic() < deadline + 60, "the killed command's transaction is still open"
            time.sleep(0.05)
        assert counts(engine, pattern, badge_slug) == (0, 0)

        again = subprocess.run(award_command(env, path), cwd=ROOT, env=env, capture_output=True, text=True, check=False,
                               timeout=300)  # fmt: skip
        assert again.returncode == 0, again.stderr[-2000:]
        assert f"{LINES} badges awarded." in again.stdout
        assert counts(engine, pattern, badge_slug) == (LINES, LINES)

        third = subprocess.run(award_command(env, path), cwd=ROOT, env=env, capture_output=True, text=True, check=False,
                               timeout=300)  # fmt: skip
        assert third.returncode == 1 and "Nothing was awarded." in third.stderr
        assert counts(engine, pattern, badge_slug) == (LINES, LINES)
    finally:
        engine.dispose()
