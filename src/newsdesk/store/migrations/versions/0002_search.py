"""Full-text search over our own lemmas: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.

``search_docs`` has one row per indexed article: a stable integer ``docid`` (the FTS5 rowid), the
analyzer version the terms were made with (``newsdesk reindex`` redoes older ones), the publication
day (for the recency weight without a join) and a compressed
copy of the terms (so a document can be deleted from the contentless FTS5 table, or fed to another
index, without analysing the text again).  On PostgreSQL the same row carries the ``tsvector``.

Revision ID: 0002_search
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_search"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS5 = ("CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, lead, body, content='', tokenize='ascii', detail=full)")


def upgrade() -> None:
    is_pg = op.get_bind().dialect.name == "postgresql"
    columns = [
        sa.Column("docid", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("article_id", sa.String(64), nullable=False, unique=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("terms", sa.LargeBinary, nullable=False),
        sa.Column("day", sa.Integer),  # publication day (days since 1970-01-01 UTC), for recency
    ]
    if is_pg:
        columns.append(sa.Column("tsv", postgresql.TSVECTOR, nullable=False))
    op.create_table("search_docs", *columns)  # type: ignore[arg-type]
    op.create_index("ix_search_docs_version", "search_docs", ["version"])
    if is_pg:
        op.create_index("ix_search_docs_tsv", "search_docs", ["tsv"], postgresql_using="gin")
    else:
        op.execute(FTS5)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_docs")
