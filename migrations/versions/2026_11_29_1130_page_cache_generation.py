"""Page cache generation: one row whose token changes after every commit, so cached public pages never go stale.

Read once per anonymous request to a cached public page and replaced after each commit that
wrote anything (see directory/core/pagecache.py); in the database so that every worker
process and every host sees the same generation, with no shared disk and no Redis needed.

Revision ID: c3a9e11e0003
Revises: c2f5ea4c0002
Create Date: 2026-11-29 11:30:00

"""
import uuid
from datetime import datetime
from datetime import timezone

import sqlalchemy as sa
from alembic import op

revision = 'c3a9e11e0003'
down_revision = 'c2f5ea4c0002'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'page_cache_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_page_cache_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': uuid.uuid4().hex, 'changed_at': datetime.now(timezone.utc)}])


def downgrade():
    op.drop_table('page_cache_generation')
