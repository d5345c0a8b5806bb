"""One-time e-mail sign-in tokens: only a SHA-256 of each link's secret is stored.

Revision ID: e9fb21d20fd3
Revises: 21168f7de45b
Create Date: 2026-11-29 07:24:04.071598

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e9fb21d20fd3'
down_revision = '21168f7de45b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('email_sign_in_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_sign_in_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_sign_in_tokens_token_hash'))
    )
    with op.batch_alter_table('email_sign_in_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_sign_in_tokens_email'), ['email'], unique=False)



def downgrade():
    with op.batch_alter_table('email_sign_in_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_sign_in_tokens_email'))

    op.drop_table('email_sign_in_tokens')
