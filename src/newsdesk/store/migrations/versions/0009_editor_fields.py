"""What editors decided, kept over the sources: ``articles.editor_fields`` lists the fields an editor set
through the API («tags», «rubric», «title»…), which the source's later records of the article do not
overwrite; ``deleted_articles`` remembers the articles an editor deleted (by id and URL), so a feed or a
file that brings one again does not put it back (`newsdesk ingest --restore-deleted` does).

Revision ID: 0009_editor_fields
Revises: 0008_kazakh_names
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0009_editor_fields"
down_revision = "0008_kazakh_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("editor_fields", sa.JSON(), nullable=True))
    op.create_table(
        "deleted_articles",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("deleted_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_deleted_articles_url", "deleted_articles", ["url"])


def downgrade() -> None:
    op.drop_index("ix_deleted_articles_url", table_name="deleted_articles")
    op.drop_table("deleted_articles")
    op.drop_column("articles", "editor_fields")
