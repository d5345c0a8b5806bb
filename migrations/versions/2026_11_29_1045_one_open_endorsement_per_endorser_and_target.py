"""At most one open (requested or active) endorsement per endorser and target, enforced by the database.

Two members of one organisation endorsing the same badge class at the same moment could both
pass the service's check and insert two rows. Two partial unique indexes close that race on
SQLite and PostgreSQL alike. Duplicates already recorded are resolved first: the oldest open
endorsement stays, each later one is withdrawn (it stays on record, and its revocation is
published like any withdrawal), so that no published endorsement id changes meaning.

Revision ID: c1e0d0e5a001
Revises: b4ed0149c409
Create Date: 2026-11-29 10:45:00

"""
from datetime import datetime
from datetime import timezone

import sqlalchemy as sa
from alembic import op

revision = 'c1e0d0e5a001'
down_revision = 'b4ed0149c409'
branch_labels = None
depends_on = None

OPEN = "state IN ('requested', 'active')"
BADGE = f"{OPEN} AND target_type = 'badge_class'"
ISSUER = f"{OPEN} AND target_type = 'issuer'"
REASON = "Doublon d'une reconnaissance déjà ouverte par la même organisation."


def _withdraw_duplicates(bind, target_column: str, where: str) -> None:
    rows = bind.execute(sa.text(
        f"SELECT id, endorser_id, {target_column} FROM endorsements WHERE {where} ORDER BY id"
    )).all()  # fmt: skip
    seen: set[tuple[int, int]] = set()
    later = []
    for id_, endorser_id, target_id in rows:
        key = (endorser_id, target_id)
        if key in seen:
            later.append(id_)
        seen.add(key)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for id_ in later:
        bind.execute(
            sa.text("UPDATE endorsements SET state = 'withdrawn', withdrawn_at = :now, reason = :reason WHERE id = :id"),
            {"now": now, "reason": REASON, "id": id_},
        )


def upgrade():
    bind = op.get_bind()
    _withdraw_duplicates(bind, "badge_class_id", BADGE)
    _withdraw_duplicates(bind, "target_organisation_id", ISSUER)
    op.create_index(
        "uq_endorsements_open_badge_class", "endorsements", ["endorser_id", "badge_class_id"], unique=True,
        sqlite_where=sa.text(BADGE), postgresql_where=sa.text(BADGE),
    )  # fmt: skip
    op.create_index(
        "uq_endorsements_open_issuer", "endorsements", ["endorser_id", "target_organisation_id"], unique=True,
        sqlite_where=sa.text(ISSUER), postgresql_where=sa.text(ISSUER),
    )  # fmt: skip


def downgrade():
    op.drop_index("uq_endorsements_open_issuer", table_name="endorsements")
    op.drop_index("uq_endorsements_open_badge_class", table_name="endorsements")
