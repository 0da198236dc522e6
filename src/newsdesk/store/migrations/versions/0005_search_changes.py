"""Change tracking for the search index, so an embedded tantivy index can follow the database.

``search_docs.seq`` grows with every write of a document (one value per batch); removed documents
leave a tombstone in ``search_removed``.  A tantivy index remembers the last ``seq`` it applied and
reads only what changed after it.

Revision ID: 0005_search_changes
Revises: 0004_models
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_search_changes"
down_revision = "0004_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("search_docs") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"))
        batch.create_index("ix_search_docs_seq", ["seq"])
    op.execute("UPDATE search_docs SET seq = docid")
    op.create_table(
        "search_removed",
        sa.Column("docid", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("search_removed")
    with op.batch_alter_table("search_docs") as batch:
        batch.drop_index("ix_search_docs_seq")
        batch.drop_column("seq")
