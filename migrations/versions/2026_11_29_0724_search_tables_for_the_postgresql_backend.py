"""Search tables for the PostgreSQL backend; on PostgreSQL, unaccent and the text search configurations.

Revision ID: b03bfd6709fd
Revises: e9fb21d20fd3
Create Date: 2026-11-29 07:24:59.087829

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'b03bfd6709fd'
down_revision = 'e9fb21d20fd3'
branch_labels = None
depends_on = None


# French and English stemming after unaccent, and an unstemmed copy for prefixes. The
# extension goes to `public` so that several schemas of one database (tests) share it.
POSTGRES_SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
    "CREATE TEXT SEARCH CONFIGURATION badgeons_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION badgeons_fr ALTER MAPPING FOR hword, hword_part, word"
    " WITH public.unaccent, french_stem",
    "CREATE TEXT SEARCH CONFIGURATION badgeons_en (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION badgeons_en ALTER MAPPING FOR hword, hword_part, word"
    " WITH public.unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION badgeons_plain (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION badgeons_plain ALTER MAPPING FOR hword, hword_part, word"
    " WITH public.unaccent, simple",
)
POSTGRES_TEARDOWN = (
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS badgeons_plain",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS badgeons_en",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS badgeons_fr",
)


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _on_postgresql():
        for statement in POSTGRES_SETUP:
            op.execute(statement)
    op.create_table('search_documents',
    sa.Column('doc_id', sa.String(length=40), nullable=False),
    sa.Column('sort_name', sa.String(length=300), nullable=False),
    sa.Column('updated', sa.BigInteger(), nullable=False),
    sa.Column('tsv', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=True),
    sa.Column('tsv_plain', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('doc_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_sort_name'), ['sort_name'], unique=False)
        batch_op.create_index('ix_search_documents_tsv', ['tsv'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_search_documents_tsv_plain', ['tsv_plain'], unique=False, postgresql_using='gin')

    op.create_table('search_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('folded', sa.Text(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_suggestions'))
    )
    with op.batch_alter_table('search_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_suggestions_rank'), ['rank'], unique=False)

    op.create_table('search_facets',
    sa.Column('doc_id', sa.String(length=40), nullable=False),
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['doc_id'], ['search_documents.doc_id'], name=op.f('fk_search_facets_doc_id_search_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'facet', 'value', name=op.f('pk_search_facets'))
    )
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.create_index('ix_search_facets_facet_value', ['facet', 'value'], unique=False)



def downgrade():
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facets_facet_value')

    op.drop_table('search_facets')
    with op.batch_alter_table('search_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_suggestions_rank'))

    op.drop_table('search_suggestions')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_tsv_plain', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_tsv', postgresql_using='gin')
        batch_op.drop_index(batch_op.f('ix_search_documents_sort_name'))

    op.drop_table('search_documents')
    if _on_postgresql():
        for statement in POSTGRES_TEARDOWN:
            op.execute(statement)
