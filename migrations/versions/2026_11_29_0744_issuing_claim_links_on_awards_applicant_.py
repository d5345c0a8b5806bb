"""Issuing: claim links on awards (only a hash of the secret), the applicant's e-mail, bulk award jobs.

Revision ID: 5cb9e3c9de4f
Revises: b03bfd6709fd
Create Date: 2026-11-29 07:44:09.720457

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5cb9e3c9de4f'
down_revision = 'b03bfd6709fd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_award_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('award_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bulk_award_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bulk_award_jobs_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_award_jobs')),
    sa.UniqueConstraint('uuid', name=op.f('uq_bulk_award_jobs_uuid'))
    )
    with op.batch_alter_table('bulk_award_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_award_jobs_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=320), nullable=True))

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claim_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_awards_claim_token_hash'), ['claim_token_hash'])



def downgrade():
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_awards_claim_token_hash'), type_='unique')
        batch_op.drop_column('claim_expires_at')
        batch_op.drop_column('claim_token_hash')

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('bulk_award_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_award_jobs_organisation_id'))

    op.drop_table('bulk_award_jobs')
