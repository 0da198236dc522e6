"""Dense vectors of articles, kept so that rethreading a period does not run the encoder again.

Revision ID: 0006_vectors
Revises: 0005_search_changes
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_vectors"
down_revision = "0005_search_changes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_vectors",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("text_hash", sa.String(32), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_vectors")
